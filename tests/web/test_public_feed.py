"""The public feed: public sites only, CORS for any origin, ETag and Cache-Control."""

from __future__ import annotations

import time

from tests.web.conftest import B_HUB, BOX_1, DESKS_CAM, HUB, OFFICE_PIR, STATION, Village, heard


def test_public_sites_only(village: Village) -> None:
    response = village.client.get("/public/v1/sites")
    assert response.status_code == 200
    sites = {site["id"]: site for site in response.json()}
    assert set(sites) == {HUB, STATION}
    assert sites[STATION]["url"] == f"/public/v1/parcel-stations/{STATION}"


def test_a_public_hub_lists_its_public_rooms_now(village: Village) -> None:
    now = time.time_ns()
    village.board.collect(heard(DESKS_CAM, now, people_count=4))
    village.board.collect(heard(OFFICE_PIR, now, occupancy=1))
    hub = village.client.get(f"/public/v1/hubs/{HUB}").json()
    rooms = {room["name"]: room for room in hub["rooms"]}
    assert set(rooms) == {"Coworking", "hall-pir"}  # not the private office
    assert rooms["Coworking"]["status"] == "full" and rooms["Coworking"]["people"] == 4
    assert rooms["hall-pir"]["status"] == "unknown"
    assert str(OFFICE_PIR) not in str(hub) and str(DESKS_CAM) not in str(hub)


def test_a_parcel_station_counts_free_compartments(village: Village) -> None:
    village.board.collect(heard(BOX_1, time.time_ns(), fill_level=12.5, distance=1.06))
    station = village.client.get(f"/public/v1/parcel-stations/{STATION}").json()
    assert (station["free"], station["total"]) == (1, 1)
    assert station["compartments"][0]["fill_level"] == 12.5


def test_private_and_missing_sites_look_the_same(village: Village) -> None:
    for url in (
        f"/public/v1/hubs/{B_HUB}",
        "/public/v1/hubs/nowhere",
        f"/public/v1/hubs/{STATION}",
    ):
        response = village.client.get(url)
        assert response.status_code == 404
        assert "Bergdorf" not in response.text


def test_cors_for_any_origin(village: Village) -> None:
    origin = {"Origin": "https://city-app.example"}
    response = village.client.get(f"/public/v1/hubs/{HUB}", headers=origin)
    assert response.headers["access-control-allow-origin"] == "*"
    assert "ETag" in response.headers["access-control-expose-headers"]
    preflight = village.client.options(
        "/public/v1/sites", headers={**origin, "Access-Control-Request-Method": "GET"}
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "GET" in preflight.headers["access-control-allow-methods"]
    api = village.client.get("/api/v1/sites", headers=origin)
    assert "access-control-allow-origin" not in api.headers  # the API stays same-origin


def test_etag_and_cache_control(village: Village) -> None:
    first = village.client.get(f"/public/v1/hubs/{HUB}")
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "public, max-age=10"
    again = village.client.get(f"/public/v1/hubs/{HUB}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    village.board.collect(heard(DESKS_CAM, time.time_ns(), people_count=1))
    changed = village.client.get(f"/public/v1/hubs/{HUB}", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag


def test_the_feed_is_documented(village: Village) -> None:
    schema = village.client.get("/openapi.json").json()
    hub = schema["paths"]["/public/v1/hubs/{site_id}"]["get"]
    assert hub["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PublicHub"
    }
    assert "304" in hub["responses"] and "security" not in hub
    assert "PublicParcelStation" in schema["components"]["schemas"]
