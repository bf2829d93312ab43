"""Who sees which page: sign-in cookie, tenant scope, public sites, roles, languages."""

from __future__ import annotations

import time

import pytest

from lorahub.web.session import COOKIE
from tests.web.conftest import (
    B_HUB,
    DESKS_CAM,
    HUB,
    OFFICE_PIR,
    STATION,
    Village,
    heard,
)


def test_sign_in_sets_a_strict_http_only_cookie_and_returns_to_the_page(village: Village) -> None:
    page = village.client.get(f"/hubs/{B_HUB}?kiosk=1", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == f"/login?next=%2Fhubs%2F{B_HUB}%3Fkiosk%3D1"
    form = village.client.get(page.headers["location"])
    assert form.status_code == 200 and 'name="token"' in form.text
    assert f'value="/hubs/{B_HUB}?kiosk=1"' in form.text
    done = village.client.post(
        "/login",
        data={"token": village.tokens["viewer_b"], "next": f"/hubs/{B_HUB}?kiosk=1"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == f"/hubs/{B_HUB}?kiosk=1"
    cookie = done.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie
    assert "SameSite=strict" in cookie and "Path=/" in cookie and "Max-Age=2592000" in cookie
    assert village.client.get(f"/hubs/{B_HUB}?kiosk=1").status_code == 200


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil"])
def test_sign_in_never_redirects_off_site(village: Village, target: str) -> None:
    done = village.client.post(
        "/login", data={"token": village.tokens["viewer"], "next": target}, follow_redirects=False
    )
    assert done.headers["location"] == "/"


def test_a_wrong_token_is_refused_without_a_cookie(village: Village) -> None:
    done = village.client.post("/login", data={"token": "lh_nope"}, follow_redirects=False)
    assert done.status_code == 401 and "set-cookie" not in done.headers
    assert 'aria-invalid="true"' in done.text


def test_sign_out_forgets_the_cookie(village: Village) -> None:
    village.sign_in("viewer_b")
    done = village.client.post("/logout", follow_redirects=False)
    assert done.status_code == 303 and 'lorahub_session=""' in done.headers["set-cookie"]


def test_a_revoked_token_ends_the_session(village: Village) -> None:
    village.sign_in("viewer_b")
    village.services.tokens.revoke("hub-staff-b")
    assert village.client.get(f"/hubs/{B_HUB}", follow_redirects=False).status_code == 303


def test_a_viewer_of_another_tenant_is_refused(village: Village) -> None:
    village.sign_in("viewer")  # altdorf
    for url in (f"/hubs/{B_HUB}", f"/hubs/{B_HUB}/events"):
        response = village.client.get(url)
        assert response.status_code == 404
        assert "Werkstatt" not in response.text and "Bergdorf" not in response.text


def test_the_public_hub_shows_only_public_rooms_to_visitors(village: Village) -> None:
    page = village.client.get(f"/hubs/{HUB}")
    assert page.status_code == 200
    assert "Coworking" in page.text and "hall-pir" in page.text
    assert "Gemeindebüro" not in page.text  # a private room
    assert "Abmelden" not in page.text
    village.sign_in("viewer")
    assert "Gemeindebüro" in village.client.get(f"/hubs/{HUB}").text


def test_pages_of_other_kinds_are_not_found(village: Village) -> None:
    # Visitors are asked to sign in: whether a non-public site exists stays unsaid.
    assert village.client.get("/hubs/nowhere", follow_redirects=False).status_code == 303
    assert village.client.get(f"/parcels/{HUB}", follow_redirects=False).status_code == 303
    village.sign_in("viewer")
    assert village.client.get(f"/parcels/{HUB}").status_code == 404
    assert village.client.get(f"/hubs/{STATION}").status_code == 404
    assert village.client.get("/hubs/nowhere").status_code == 404


def test_the_page_shows_what_the_board_holds(village: Village) -> None:
    now = time.time_ns()
    village.board.collect(heard(DESKS_CAM, now, people_count=3))
    village.board.collect(heard(OFFICE_PIR, now, occupancy=1))
    village.sign_in("viewer")
    page = village.client.get(f"/hubs/{HUB}").text
    assert "3 von 4 Personen" in page and "belegt" in page
    assert 'aria-live="polite"' in page and '<html lang="de">' in page
    assert (
        "default-src 'self'"
        in village.client.get(f"/hubs/{HUB}").headers["content-security-policy"]
    )


def test_language_from_query_then_browser_then_tenant(village: Village) -> None:
    assert '<html lang="de">' in village.client.get(f"/hubs/{HUB}").text  # altdorf: German
    english = village.client.get(f"/hubs/{HUB}", headers={"Accept-Language": "en-GB,de;q=0.5"})
    assert '<html lang="en">' in english.text and "Rooms" in english.text
    forced = village.client.get(f"/hubs/{HUB}?lang=de", headers={"Accept-Language": "en"})
    assert '<html lang="de">' in forced.text and "Räume" in forced.text
    village.sign_in("viewer_b")
    assert '<html lang="en">' in village.client.get(f"/hubs/{B_HUB}").text  # bergdorf: English


def test_kiosk_mode_has_no_controls(village: Village) -> None:
    page = village.client.get(f"/hubs/{HUB}?kiosk=1").text
    assert '<body class="kiosk">' in page
    assert "<nav" not in page and "<form" not in page and "<button" not in page


def test_the_parcel_station_page(village: Village) -> None:
    page = village.client.get(f"/parcels/{STATION}")
    assert page.status_code == 200 and "fach-1" in page.text and "Fächer" in page.text


def test_the_fleet_is_for_operators_of_their_tenants(village: Village) -> None:
    assert village.client.get("/fleet", follow_redirects=False).status_code == 303
    village.sign_in("viewer")
    assert village.client.get("/fleet").status_code == 403
    village.sign_in("operator")
    page = village.client.get("/fleet")
    assert page.status_code == 200
    assert "desks-cam" in page.text and "werkstatt-pir" not in page.text
    village.sign_in("admin")
    assert "werkstatt-pir" in village.client.get("/fleet").text


def test_the_event_stream_needs_access(village: Village) -> None:
    assert village.client.get(f"/hubs/{B_HUB}/events").status_code == 401
    assert village.client.get(f"/parcels/{HUB}/events").status_code == 401
