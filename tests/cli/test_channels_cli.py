"""``lorahub channels`` against a real SQLite file and a real webhook receiver."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_registry_cli import invoke, ok
from tests.notify.receivers import WebhookServer

SECRET = "Geheim-4711"  # noqa: S105 - a made-up secret the test looks for


def test_add_list_test_deliveries_remove(config: Path, webhook: WebhookServer) -> None:
    ok(config, "tenants", "add", "lindenau", "--name", "Lindenau", "--language", "en")
    url = webhook.url(auth=f"bot:{SECRET}@")
    added = ok(
        config,
        "channels",
        "add",
        "lindenau",
        "Ops",
        url,
        "--min-severity",
        "critical",
        "--kind",
        "fired",
        "--kind",
        "resolved",
        "--digest-hour",
        "7",
    )
    assert f"json://127.0.0.1:{webhook.port}" in added and SECRET not in added

    [channel] = json.loads(ok(config, "channels", "list", "--json"))
    assert channel["url"] == f"json://127.0.0.1:{webhook.port}"
    assert channel["kinds"] == ["fired", "resolved"] and channel["digest_hour"] == 7
    assert channel["min_severity"] == "critical" and channel["healthy"]
    assert SECRET not in ok(config, "channels", "list")

    assert "delivered" in ok(config, "channels", "test", str(channel["id"]))
    assert webhook.bodies[0]["title"] == "Test message from lorahub"
    [delivery] = json.loads(ok(config, "channels", "deliveries", "--json"))
    assert (delivery["kind"], delivery["status"]) == ("test", "sent")

    webhook.status = 500
    code, stdout, stderr = invoke(config, "channels", "test", str(channel["id"]))
    assert code == 1 and "500" in stderr and SECRET not in stdout + stderr
    failed = json.loads(ok(config, "channels", "deliveries", "--status", "failed", "--json"))
    assert len(failed) == 1

    audit = ok(config, "tenants", "list", "--json")  # still there; the audit has the masked URL
    assert SECRET not in audit
    assert "removed channel" in ok(config, "channels", "remove", str(channel["id"]))
    assert invoke(config, "channels", "remove", str(channel["id"]))[0] == 1
    assert json.loads(ok(config, "channels", "list", "--json")) == []


def test_bad_urls_and_duplicates_exit_1(config: Path) -> None:
    ok(config, "tenants", "add", "lindenau", "--name", "Lindenau")
    code, stdout, stderr = invoke(
        config, "channels", "add", "lindenau", "X", f"nope://u:{SECRET}@h"
    )
    assert code == 1 and "apprise" in stderr and SECRET not in stdout + stderr
    ok(config, "channels", "add", "lindenau", "X", "ntfy://ntfy.sh/lindenau")
    assert invoke(config, "channels", "add", "lindenau", "X", "ntfy://ntfy.sh/other")[0] == 1
    assert invoke(config, "channels", "test", "999")[0] == 1
    assert (
        invoke(
            config,
            "channels",
            "add",
            "lindenau",
            "Y",
            "ntfy://ntfy.sh/x",
            "--min-severity",
            "panic",
        )[0]
        == 2
    )
