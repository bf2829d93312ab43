"""Join the caller's transaction when one is given, else open one.

So a change and its audit entry can commit together.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine


@contextmanager
def transaction(engine: Engine, connection: Connection | None) -> Iterator[Connection]:
    """The caller's ``connection`` (its transaction), or a new transaction on ``engine``."""
    if connection is not None:
        yield connection
        return
    with engine.begin() as own:
        yield own
