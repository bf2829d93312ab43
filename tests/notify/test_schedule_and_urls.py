"""Backoff, digest times across daylight saving, URL masking and secret scrubbing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from lorahub.notify.schedule import next_digest_ns, retry_delay_s
from lorahub.notify.urls import is_valid_url, mask_url, redact, scheme_of


def _ns(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp()) * 10**9


def _utc(ns: int) -> str:
    return datetime.fromtimestamp(ns / 1e9, UTC).strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize(
    ("attempts", "delay"), [(1, 30.0), (2, 60.0), (3, 120.0), (7, 1920.0), (8, 3600.0), (500, 3600)]
)
def test_backoff_doubles_up_to_the_cap(attempts: int, delay: float) -> None:
    assert retry_delay_s(attempts, 30.0, 3600.0) == delay


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        ("2026-11-23T06:59:00+01:00", "2026-11-23 06:00"),  # later today (07:00 CET)
        ("2026-11-23T07:00:00+01:00", "2026-11-24 06:00"),  # just passed: tomorrow
        ("2026-03-28T12:00:00+01:00", "2026-03-29 05:00"),  # into summer time: 07:00 CEST
        ("2026-10-24T12:00:00+02:00", "2026-10-25 06:00"),  # back to winter time
    ],
)
def test_digest_at_the_local_hour(now: str, expected: str) -> None:
    assert _utc(next_digest_ns(7, "Europe/Berlin", _ns(now))) == expected


URLS = [
    ("mailtos://anna:s3cret-pw@smtp.example.org?to=ops@altdorf.de", "mailtos://smtp.example.org"),
    ("json://hook:t0ken-abc@127.0.0.1:8099/alerts", "json://127.0.0.1:8099"),
    ("tgram://123456789:AAH-bot-token/987654321", "tgram://1...n"),
    ("ntfys://user:passw0rd@ntfy.example.org/altdorf-alerts", "ntfys://ntfy.example.org"),
    ("matrixs://bot:m4trix-pw@matrix.example.org/#alerts", "matrixs://matrix.example.org"),
]


@pytest.mark.parametrize(("url", "masked"), URLS)
def test_masked_urls_show_scheme_and_host_only(url: str, masked: str) -> None:
    assert is_valid_url(url)
    assert mask_url(url) == masked


@pytest.mark.parametrize(
    ("url", "secret"),
    [
        (URLS[0][0], "s3cret-pw"),
        (URLS[1][0], "t0ken-abc"),
        (URLS[2][0], "AAH-bot-token"),
        (URLS[2][0], "123456789"),
        (URLS[3][0], "passw0rd"),
    ],
)
def test_errors_lose_every_secret(url: str, secret: str) -> None:
    text = f"could not reach {url}: {secret} refused; user {secret.upper()}"
    cleaned = redact(text, url)
    assert secret.lower() not in cleaned.lower()
    assert "***" in cleaned


def test_unknown_urls_are_refused_and_fully_masked() -> None:
    assert not is_valid_url("nosuchscheme://user:pw@host/x")
    assert mask_url("nosuchscheme://user:pw@host/x") == "nosuchscheme://***"
    assert scheme_of("JSON://x") == "json"
