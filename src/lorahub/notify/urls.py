"""Apprise URLs are secrets: check them, show them masked, and scrub them out of error texts."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlsplit

import apprise
from apprise.plugins import N_MGR

MASK = "***"
_MIN_SECRET_LENGTH = 3  # shorter pieces ("to", "1") would mask half of every message


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def is_valid_url(url: str) -> bool:
    """Whether apprise understands ``url`` (a known scheme with everything it needs).

    Text without a scheme apprise knows is refused here, before apprise would log it (its
    log keeps the first and last character of a password it cannot place).
    """
    return _known_scheme(url) and apprise.Apprise.instantiate(url) is not None


def _known_scheme(url: str) -> bool:
    match = _SCHEME.match(url)
    return match is not None and match.group(1).lower() in N_MGR


def scheme_of(url: str) -> str:
    """The URL's scheme in lower case (``mailto``, ``json``, ``tgram``), for metric labels."""
    scheme, _, _ = url.partition("://")
    return scheme.lower() if scheme.isalnum() else "unknown"


def mask_url(url: str) -> str:
    """``url`` reduced to scheme and host, for showing: no user, password, path or query.

    Where a service keeps a token in the host place (Telegram's bot token), apprise's own
    privacy form (``1...n``) stands in for it.
    """
    shown = _privacy_url(url)
    if shown is None:  # unknown to apprise: nothing tells which part is secret
        return f"{scheme_of(url)}://{MASK}"
    scheme, _, rest = shown.partition("://")
    host = rest.split("/", 1)[0].split("?", 1)[0].rsplit("@", 1)[-1]
    return f"{scheme.lower()}://{host}"


def _privacy_url(url: str) -> str | None:
    """Apprise's own shareable form of ``url`` (secrets elided), or None when it is unknown."""
    plugin = apprise.Apprise.instantiate(url) if _known_scheme(url) else None
    if plugin is None:
        return None
    return str(plugin.url(privacy=True))  # type: ignore[no-untyped-call]


def secrets_of(url: str) -> list[str]:
    """Every part of ``url`` that may be secret: user, password, host, path parts, query values.

    A part apprise shows in its privacy form (a mail server's host, a webhook's path) is not
    secret; a host that apprise elides (Telegram's bot token) is. Longest first, so a
    replacement never leaves a secret's tail behind.
    """
    parts = urlsplit(url)
    raw = [parts.netloc, *re.split(r"[@:]", parts.netloc), *parts.path.split("/")]
    raw += [value for _, value in parse_qsl(parts.query)]
    found = {piece for value in raw if value for piece in (value, unquote(value))}
    shown = unquote(_privacy_url(url) or "")
    kept = (piece for piece in found if len(piece) >= _MIN_SECRET_LENGTH and piece not in shown)
    return sorted(kept, key=len, reverse=True)


def redact(text: str, url: str) -> str:
    """``text`` with every secret part of ``url`` replaced by ``***``."""
    for secret in secrets_of(url):
        text = re.sub(re.escape(secret), MASK, text, flags=re.IGNORECASE)
    return text
