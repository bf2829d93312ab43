from __future__ import annotations

import re
from pathlib import Path

from lorahub.domain.quantities import QUANTITIES

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_lists_exactly_the_quantities_table() -> None:
    rows = re.findall(
        r"^\| `([a-z_0-9]+)` \| ([^|]+) \| (float|integer) \|", README.read_text(), re.M
    )
    documented = {name: (unit.strip(), kind) for name, unit, kind in rows if name in QUANTITIES}
    assert documented == {q.name: (q.unit, q.type) for q in QUANTITIES.values()}


def test_readme_starts_with_the_two_commands_ci_runs() -> None:
    text = README.read_text()
    blocks = re.findall(r"```\n(.*?)```", text, re.S)
    assert blocks[0].strip() == "bash scripts/demo.sh"
    assert blocks[1].strip() == "bash scripts/test.sh"
    ci = (README.parent / ".ci" / "run").read_text()
    assert "bash scripts/test.sh" in ci
