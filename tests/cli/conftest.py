"""CLI test fixtures: a settings file with a fresh SQLite registry and the repo's catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """A settings file for one test."""
    path = tmp_path / "lorahub.toml"
    path.write_text(
        f'[registry]\nurl = "sqlite:///{tmp_path / "r.db"}"\n'
        f'[catalog]\ndir = "{REPO / "decoders"}"\n'
    )
    return path
