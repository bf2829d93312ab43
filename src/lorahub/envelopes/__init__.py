"""Network-server MQTT messages to LNS-independent envelopes (``EnvelopeParser``)."""

from __future__ import annotations

from lorahub.envelopes.parser import EnvelopeParser

__all__ = ["EnvelopeParser"]
