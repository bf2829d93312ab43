"""A rejected message as kept in the dead-letter store."""

from __future__ import annotations

from dataclasses import dataclass

from lorahub.domain.ids import DevEui
from lorahub.errors import RejectReason


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """A message (or one InfluxDB line) that could not be ingested, with why."""

    received_ns: int
    topic: str
    payload: bytes
    reason: RejectReason
    error: str
    dev_eui: DevEui | None = None


@dataclass(frozen=True, slots=True)
class StoredDeadLetter:
    """A dead letter read back from the store, with its id."""

    id: int
    letter: DeadLetter
