// Live tiles: one EventSource per page; each "tile" event replaces one tile's texts and sparkline.
(function () {
  "use strict";
  var list = document.querySelector("[data-events]");
  if (!list || !window.EventSource) {
    return;
  }
  var announcer = document.getElementById("announcer");
  var banner = document.getElementById("connection");
  var source = new EventSource(list.getAttribute("data-events"));

  function setText(item, field, value) {
    var node = item.querySelector('[data-field="' + field + '"]');
    if (node && node.textContent !== value) {
      node.textContent = value;
      return true;
    }
    return false;
  }

  source.addEventListener("tile", function (event) {
    var tile = JSON.parse(event.data);
    var item = document.getElementById("tile-" + tile.id);
    if (!item) {
      return;
    }
    var changed = setText(item, "status_text", tile.status_text);
    changed = setText(item, "detail_text", tile.detail_text) || changed;
    setText(item, "updated_text", tile.updated_text);
    item.className = "tile status-" + tile.status;
    var line = item.querySelector('[data-field="sparkline"]');
    if (line) {
      line.setAttribute("points", tile.sparkline);
    }
    if (changed && announcer) {
      announcer.textContent = tile.announce;
    }
  });
  source.addEventListener("open", function () {
    banner.hidden = true;
    list.setAttribute("data-connected", "true");
  });
  source.addEventListener("error", function () {
    banner.hidden = false;
    list.setAttribute("data-connected", "false");
  });
})();
