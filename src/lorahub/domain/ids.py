"""Identifier types: DevEUI and catalog model id."""

from __future__ import annotations

import re
from typing import NewType

DevEui = NewType("DevEui", str)
"""A LoRaWAN DevEUI as 16 lower-case hex characters."""

ModelId = NewType("ModelId", str)
"""A catalog model id, TTN style ``vendor/model`` in kebab case (``elsys/ers-co2``)."""

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
"""Tenant and site ids: lower-case letters, digits and dashes, at most 64 characters."""

_SLUG = re.compile(SLUG_PATTERN)
_HEX16 = re.compile(r"[0-9a-f]{16}")
_MODEL_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*")


def parse_dev_eui(text: str) -> DevEui:
    """Normalise a DevEUI written in hex, any case, with optional ``-`` or ``:`` separators.

    Args:
        text: the DevEUI as the user or the network server wrote it.

    Returns:
        The DevEUI as 16 lower-case hex characters.

    Raises:
        ValueError: the text is not 8 bytes of hex.
    """
    cleaned = text.strip().lower().replace("-", "").replace(":", "")
    if not _HEX16.fullmatch(cleaned):
        raise ValueError(f"invalid DevEUI {text!r}: expected 16 hex characters")
    return DevEui(cleaned)


def parse_slug(text: str, what: str) -> str:
    """Check a tenant or site id.

    Raises:
        ValueError: the text is not a slug; the message names ``what`` (``"tenant id"``).
    """
    if not _SLUG.match(text):
        raise ValueError(
            f"invalid {what} {text!r}: use lower-case letters, digits and dashes (at most 64)"
        )
    return text


def parse_model_id(text: str) -> ModelId:
    """Check a catalog model id (``vendor/model``, lower-case kebab case).

    Raises:
        ValueError: the text is not of that form.
    """
    if not _MODEL_ID.fullmatch(text):
        raise ValueError(f"invalid model id {text!r}: expected 'vendor/model' in kebab case")
    return ModelId(text)
