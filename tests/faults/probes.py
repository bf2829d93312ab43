"""Read a service's ops listener (metrics and readiness) and make a tiny file system."""

from __future__ import annotations

import contextlib
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest


def metric(port: int, name: str, labels: str = "") -> float | None:
    """The value of one sample (``name{labels}``), 0 when absent, None when nobody answers."""
    try:
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=2).text
    except httpx.HTTPError:
        return None
    wanted = f"{name}{{{labels}}}" if labels else name
    for line in text.splitlines():
        if line.startswith(wanted + " "):
            return float(line.split()[1])
    return 0.0


def readiness(port: int) -> tuple[int, dict[str, Any]]:
    """``/readyz``: the status code and the body."""
    response = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2)
    body: dict[str, Any] = response.json()
    return response.status_code, body


@contextlib.contextmanager
def tiny_tmpfs(folder: Path, size: str) -> Iterator[Path]:
    """Mount a tmpfs of ``size`` under ``folder``: a real ENOSPC when it fills (needs root).

    Skips the test where mounting is not allowed.
    """
    mount = folder / f"tiny-{uuid.uuid4().hex[:6]}"
    mount.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        with contextlib.suppress(subprocess.SubprocessError):
            subprocess.run(["umount", "-l", str(mount)], check=False, timeout=10)
