"""A stand-in for Grafana's HTTP API (Grafana itself cannot run here): folders and dashboards."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Request:
    """One request as the fake received it."""

    method: str
    path: str
    authorization: str | None
    body: Any


@dataclass
class FakeGrafana:
    """What the fake holds: the accepted token, folders, dashboards and every request."""

    token: str
    url: str = ""
    folders: list[dict[str, str]] = field(default_factory=list)
    dashboards: dict[str, dict[str, Any]] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)

    def answer(self, request: Request) -> tuple[int, Any]:
        """Status and JSON body for ``request``, as Grafana 11 answers it."""
        self.requests.append(request)
        if request.authorization != f"Bearer {self.token}":
            return 401, {"message": "Unauthorized"}
        route = (request.method, request.path.split("?")[0])
        if route == ("GET", "/api/folders"):
            return 200, self.folders
        if route == ("POST", "/api/folders"):
            folder = {"uid": f"folder-{len(self.folders) + 1}", "title": request.body["title"]}
            self.folders.append(folder)
            return 200, {"id": len(self.folders), **folder}
        if route == ("POST", "/api/dashboards/db"):
            return self._save(request.body)
        return 404, {"message": "Not found"}

    def _save(self, body: dict[str, Any]) -> tuple[int, Any]:
        dashboard = body["dashboard"]
        uid = dashboard["uid"]
        if uid in self.dashboards and not body.get("overwrite"):
            return 412, {"message": "A dashboard with the same uid already exists"}
        self.dashboards[uid] = body
        self.versions[uid] = self.versions.get(uid, 0) + 1
        return 200, {
            "id": len(self.dashboards),
            "uid": uid,
            "url": f"/d/{uid}/{uid}",
            "status": "success",
            "version": self.versions[uid],
            "slug": uid,
        }


def _handler(grafana: FakeGrafana) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            request = Request(
                self.command,
                self.path,
                self.headers.get("Authorization"),
                json.loads(raw) if raw else None,
            )
            status, answer = grafana.answer(request)
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = _serve
        do_POST = _serve

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    return Handler


@contextmanager
def fake_grafana(token: str) -> Iterator[FakeGrafana]:
    """A fake Grafana on a free loopback port, for the duration of the block."""
    grafana = FakeGrafana(token)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(grafana))
    grafana.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield grafana
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
