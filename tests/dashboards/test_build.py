"""The committed dashboards are what the code renders; ``build --check`` says when they are not."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from lorahub.cli.app import app
from lorahub.dashboards.datasource import DATASOURCE_UID
from lorahub.dashboards.render import DASHBOARDS, render_all
from tests.conftest import REPO

COMMITTED = REPO / "dashboards"


def _build(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["dashboards", "build", *args])
    return result.exit_code, result.output


def test_building_into_a_folder_gives_the_committed_files(tmp_path: Path) -> None:
    code, output = _build("--out", str(tmp_path))
    assert code == 0, output
    built = sorted(path.name for path in tmp_path.iterdir())
    assert built == sorted(path.name for path in COMMITTED.glob("*.json"))
    for name in built:
        assert (tmp_path / name).read_bytes() == (COMMITTED / name).read_bytes(), (
            f"dashboards/{name} is stale: run `lorahub dashboards build`"
        )


def test_rendering_is_deterministic() -> None:
    first, second = render_all(), render_all()
    assert first == second
    assert all(text.endswith("}\n") for text in first.values())


def test_check_passes_on_current_files_and_fails_on_stale_ones(tmp_path: Path) -> None:
    assert _build("--out", str(tmp_path))[0] == 0
    assert _build("--out", str(tmp_path), "--check")[0] == 0
    name = f"{DASHBOARDS[0][0]}.json"
    (tmp_path / name).write_text("{}\n")
    code, output = _build("--out", str(tmp_path), "--check")
    assert code == 1 and name in output
    (tmp_path / name).unlink()
    assert _build("--out", str(tmp_path), "--check")[0] == 1


def test_every_panel_and_variable_uses_the_provisioned_datasource() -> None:
    uids = set()
    for text in render_all().values():
        dashboard = json.loads(text)
        assert dashboard["uid"].startswith("lorahub-") and "lorahub" in dashboard["tags"]
        for panel in dashboard["panels"]:
            uids.add(panel["datasource"]["uid"])
            uids |= {target["datasource"]["uid"] for target in panel["targets"]}
        uids |= {variable["datasource"]["uid"] for variable in dashboard["templating"]["list"]}
    assert uids == {DATASOURCE_UID}
