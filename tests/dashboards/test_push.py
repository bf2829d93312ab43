"""``lorahub dashboards push`` against a stand-in for Grafana's HTTP API."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from lorahub.cli.app import app
from lorahub.daemons import free_port
from lorahub.dashboards.render import render_all
from tests.dashboards.fake_grafana import FakeGrafana, fake_grafana

TOKEN = "glsa_s3cr3t-token-value"  # noqa: S105 - a test token
UIDS = sorted(json.loads(text)["uid"] for text in render_all().values())


@pytest.fixture
def grafana() -> Iterator[FakeGrafana]:
    with fake_grafana(TOKEN) as server:
        yield server


def _push(url: str, token: str, *extra: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["dashboards", "push", "--url", url, "--token", token, *extra])
    return result.exit_code, result.stdout, result.stderr


def test_push_creates_the_folder_and_overwrites_every_dashboard(grafana: FakeGrafana) -> None:
    code, stdout, stderr = _push(grafana.url, TOKEN, "--folder", "Dorfhub", "--json")
    assert code == 0, stderr
    assert grafana.folders == [{"uid": "folder-1", "title": "Dorfhub"}]
    assert sorted(grafana.dashboards) == UIDS
    for body in grafana.dashboards.values():
        assert body["overwrite"] is True and body["folderUid"] == "folder-1"
        assert body["dashboard"]["id"] is None
    assert {request.authorization for request in grafana.requests} == {f"Bearer {TOKEN}"}
    reported = json.loads(stdout)
    assert sorted(item["uid"] for item in reported) == UIDS
    assert {item["version"] for item in reported} == {1}
    assert TOKEN not in stdout + stderr


def test_a_second_push_reuses_the_folder(grafana: FakeGrafana) -> None:
    assert _push(grafana.url, TOKEN)[0] == 0
    code, stdout, _ = _push(grafana.url, TOKEN)
    assert code == 0 and "lorahub" in stdout
    assert len(grafana.folders) == 1
    assert [r.method for r in grafana.requests if r.path.startswith("/api/folders")] == [
        "GET",
        "POST",
        "GET",
    ]
    assert set(grafana.versions.values()) == {2}


def test_a_refused_token_fails_without_printing_it(grafana: FakeGrafana) -> None:
    wrong = "glsa_wrong-token"
    code, stdout, stderr = _push(grafana.url, wrong)
    assert code == 1
    assert "refused the token" in stderr and "401" in stderr
    assert wrong not in stdout + stderr
    assert grafana.dashboards == {}


def test_an_unreachable_grafana_fails() -> None:
    code, _, stderr = _push(f"http://127.0.0.1:{free_port()}", TOKEN)
    assert code == 1 and "cannot reach Grafana" in stderr
    assert TOKEN not in stderr


def test_a_bad_url_is_refused_before_any_request() -> None:
    code, _, stderr = _push("grafana.local", TOKEN)
    assert code == 1 and "invalid Grafana URL" in stderr
