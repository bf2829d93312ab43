"""The channel API: masked URLs, validation, test messages to a real webhook, deliveries."""

from __future__ import annotations

import pytest

from tests.api.conftest import A_CHANNEL, B_CHANNEL, A, World
from tests.notify.receivers import WebhookServer

V1 = "/api/v1"
SECRET = "Geheim-4711"  # noqa: S105 - the password in the seeded channels' URL


def test_a_channel_is_created_and_answered_without_its_secrets(
    world: World, webhook: WebhookServer
) -> None:
    url = webhook.url(auth=f"bot:{SECRET}@")
    body = {"tenant": A, "name": "Hausmeister", "url": url, "min_severity": "critical"}
    response = world.client.post(f"{V1}/channels", json=body, headers=world.auth("operator"))
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["url"] == f"json://127.0.0.1:{webhook.port}"
    assert created["kinds"] == ["fired", "renotified", "acknowledged", "resolved"]
    assert created["timezone"] == "Europe/Berlin" and created["digest_hour"] is None
    assert created["health"] == {
        "healthy": True,
        "consecutive_failures": 0,
        "last_error": None,
        "last_success": None,
        "last_failure": None,
    }
    for who in ("admin", "operator", "viewer"):
        for path in ("/channels", f"/channels/{created['id']}", "/audit", f"/channels/{A_CHANNEL}"):
            answer = world.client.get(V1 + path, headers=world.auth(who))
            assert answer.status_code == 200 and SECRET not in answer.text, (who, path)


def test_viewers_may_read_but_not_change_or_test(world: World) -> None:
    viewer = world.auth("viewer")
    assert world.client.get(f"{V1}/channels/{A_CHANNEL}/deliveries", headers=viewer).json()
    assert world.client.post(f"{V1}/channels/{A_CHANNEL}/test", headers=viewer).status_code == 403
    patch = world.client.patch(
        f"{V1}/channels/{A_CHANNEL}", json={"enabled": False}, headers=viewer
    )
    assert patch.status_code == 403


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("url", "https://example.org/not-apprise"),
        ("url", f"nosuch://user:{SECRET}@host"),
        ("timezone", "Mars/Olympus"),
        ("digest_hour", 24),
        ("kinds", []),
        ("kinds", ["exploded"]),
        ("min_severity", "panic"),
    ],
)
def test_bad_channels_are_refused(world: World, field: str, value: object) -> None:
    body = {"tenant": A, "name": "Bad", "url": "json://127.0.0.1:1/x", field: value}
    response = world.client.post(f"{V1}/channels", json=body, headers=world.auth("admin"))
    assert response.status_code == 422, response.text
    assert SECRET not in response.text


def test_a_name_is_unique_per_tenant(world: World) -> None:
    body = {"tenant": A, "name": "Webhook", "url": "ntfy://ntfy.sh/altdorf"}
    response = world.client.post(f"{V1}/channels", json=body, headers=world.auth("admin"))
    assert response.status_code == 409


def test_update_changes_routing_and_digest(world: World) -> None:
    change = {"min_severity": "warning", "kinds": ["resolved", "fired"], "digest_hour": 7}
    response = world.client.patch(
        f"{V1}/channels/{A_CHANNEL}", json=change, headers=world.auth("operator")
    )
    assert response.status_code == 200, response.text
    answered = response.json()
    assert answered["kinds"] == ["fired", "resolved"] and answered["digest_hour"] == 7
    again = world.client.get(f"{V1}/channels/{A_CHANNEL}", headers=world.auth("viewer")).json()
    assert again == answered
    cleared = world.client.patch(
        f"{V1}/channels/{A_CHANNEL}", json={"digest_hour": None}, headers=world.auth("operator")
    )
    assert cleared.json()["digest_hour"] is None
    refused = world.client.patch(
        f"{V1}/channels/{A_CHANNEL}", json={"url": None}, headers=world.auth("operator")
    )
    assert refused.status_code == 422


def test_a_test_message_reaches_the_webhook_and_is_recorded(
    world: World, webhook: WebhookServer
) -> None:
    operator = world.auth("operator")
    world.client.patch(f"{V1}/channels/{A_CHANNEL}", json={"url": webhook.url()}, headers=operator)
    response = world.client.post(f"{V1}/channels/{A_CHANNEL}/test", headers=operator)
    assert response.json() == {"ok": True, "error": None}
    assert webhook.bodies[0]["title"] == "Testnachricht von lorahub"
    [test, _seeded] = world.client.get(
        f"{V1}/channels/{A_CHANNEL}/deliveries", headers=operator
    ).json()
    assert (test["kind"], test["status"], test["attempts"]) == ("test", "sent", 1)
    channel = world.client.get(f"{V1}/channels/{A_CHANNEL}", headers=operator).json()
    assert channel["health"]["last_success"] is not None


def test_a_failed_test_says_why_without_secrets(world: World) -> None:
    response = world.client.post(f"{V1}/channels/{A_CHANNEL}/test", headers=world.auth("operator"))
    result = response.json()
    assert result["ok"] is False and "Connection error" in result["error"]
    assert SECRET not in response.text
    failed = world.client.get(
        f"{V1}/notification-deliveries?status=failed", headers=world.auth("viewer")
    ).json()
    assert [d["kind"] for d in failed] == ["test", "alert"]
    assert all(d["tenant"] == A for d in failed)
    channel = world.client.get(f"{V1}/channels/{A_CHANNEL}", headers=world.auth("viewer")).json()
    assert channel["health"]["consecutive_failures"] == 1
    assert SECRET not in str(channel)


def test_other_tenants_deliveries_stay_hidden(world: World) -> None:
    operator = world.auth("operator")
    assert (
        world.client.get(f"{V1}/channels/{B_CHANNEL}/deliveries", headers=operator).status_code
        == 404
    )
    assert (
        world.client.get(
            f"{V1}/notification-deliveries?tenant=bergdorf", headers=operator
        ).status_code
        == 404
    )
