"""Notification texts: every notice kind and alert kind, in German and English."""

from __future__ import annotations

import dataclasses

import pytest

from lorahub.alerts.notice import AlertNotice
from lorahub.notify.templates import (
    DigestItem,
    format_measure,
    format_number,
    render_digest,
    render_notice,
    render_test,
    render_unhealthy,
)

# 2026-11-23 21:04:00 UTC = 22:04 in Berlin
AT = 1_795_467_840_000_000_000
HOUR = 3600 * 10**9

BASE = AlertNotice(
    tenant="altdorf",
    language="de",
    kind="fired",
    alert_kind="threshold",
    severity="critical",
    alert_id=7,
    rule_id="co2-high",
    rule_name="CO2 zu hoch",
    dev_eui="a81758fffe0c4e21",
    device_name="Raum 1",
    site_name="Dorfhub",
    quantity="co2",
    value=1450.5,
    threshold=1200.0,
    unit="ppm",
    at_ns=AT,
    link="https://hub.example/devices/a81758fffe0c4e21",
)


def _notice(**changes: object) -> AlertNotice:
    return dataclasses.replace(BASE, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        (1450.5, "de", "1.450,5"),
        (1450.5, "en", "1,450.5"),
        (21.456, "de", "21,46"),
        (21.0, "en", "21"),
        (-3.5, "de", "-3,5"),
    ],
)
def test_numbers_follow_the_language(value: float, language: str, expected: str) -> None:
    assert format_number(value, language) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("unit", "expected"), [("°C", "21,5 °C"), ("%", "21,5 %"), ("1", "21,5"), ("0/1", "21,5")]
)
def test_units_follow_the_value_except_counts(unit: str, expected: str) -> None:
    assert format_measure(21.5, unit, "de") == expected


CASES: list[tuple[str, AlertNotice, str, list[str], list[str]]] = [
    (
        "de threshold fired",
        BASE,
        "[Kritisch] Grenzwert: CO2 zu hoch - Raum 1",
        [
            "CO₂: 1.450,5 ppm (Schwelle 1.200 ppm)",
            "Ort: Dorfhub",
            "Gerät: Raum 1 (a81758fffe0c4e21)",
            "Zeit: 23.11.26, 22:04",
            "https://hub.example/devices/a81758fffe0c4e21",
        ],
        [],
    ),
    (
        "en threshold fired",
        _notice(language="en", rule_name="CO2 high"),
        "[Critical] Threshold: CO2 high - Raum 1",
        ["CO₂: 1,450.5 ppm (threshold 1,200 ppm)", "Site: Dorfhub", "Time: 23/11/2026, 22:04"],
        [],
    ),
    (
        "de renotified",
        _notice(kind="renotified"),
        "Erinnerung: [Kritisch] Grenzwert: CO2 zu hoch - Raum 1",
        ["Noch nicht bestätigt."],
        [],
    ),
    (
        "en renotified",
        _notice(kind="renotified", language="en"),
        "Reminder: [Critical] Threshold: CO2 zu hoch - Raum 1",
        ["Not acknowledged yet."],
        [],
    ),
    (
        "de acknowledged",
        _notice(kind="acknowledged", actor="anna", comment="Fenster offen"),
        "Bestätigt: [Kritisch] Grenzwert: CO2 zu hoch - Raum 1",
        ["Bestätigt von anna.", "Kommentar: Fenster offen"],
        [],
    ),
    (
        "en acknowledged without comment",
        _notice(kind="acknowledged", actor="anna", language="en"),
        "Acknowledged: [Critical] Threshold: CO2 zu hoch - Raum 1",
        ["Acknowledged by anna."],
        ["Comment"],
    ),
    (
        "de resolved with duration",
        _notice(kind="resolved", started_ns=AT - 2 * HOUR),
        "Behoben: [Kritisch] Grenzwert: CO2 zu hoch - Raum 1",
        ["Wieder in Ordnung seit 23.11.26, 22:04.", "Dauer: 2 Stunden"],
        ["Zeit:"],
    ),
    (
        "en resolved without start",
        _notice(kind="resolved", language="en"),
        "Resolved: [Critical] Threshold: CO2 zu hoch - Raum 1",
        ["Back to normal since 23/11/2026, 22:04."],
        ["Duration", "Time:"],
    ),
    (
        "de offline has no value",
        _notice(
            alert_kind="offline",
            severity="warning",
            quantity=None,
            value=None,
            threshold=None,
            unit=None,
        ),
        "[Warnung] Gerät sendet nicht: CO2 zu hoch - Raum 1",
        ["Das Gerät meldet sich nicht mehr."],
        ["Schwelle", "ppm"],
    ),
    (
        "en offline",
        _notice(alert_kind="offline", language="en", value=None, threshold=None),
        "[Critical] Device silent: CO2 zu hoch - Raum 1",
        ["The device has stopped reporting."],
        ["threshold"],
    ),
    (
        "de battery low",
        _notice(alert_kind="battery_low", quantity="battery", value=12, threshold=20, unit="%"),
        "[Kritisch] Batterie schwach: CO2 zu hoch - Raum 1",
        ["Batterie: 12 % (Schwelle 20 %)"],
        [],
    ),
    (
        "en implausible",
        _notice(
            alert_kind="implausible",
            language="en",
            quantity="temperature",
            value=327.67,
            threshold=None,
            unit="°C",
            severity="info",
        ),
        "[Info] Implausible value: CO2 zu hoch - Raum 1",
        ["Temperature: 327.67 °C is outside the possible range."],
        [],
    ),
    (
        "de without site",
        _notice(site_name=None),
        "[Kritisch] Grenzwert: CO2 zu hoch - Raum 1",
        ["Gerät: Raum 1"],
        ["Ort:"],
    ),
]


@pytest.mark.parametrize(
    ("notice", "title", "lines", "absent"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_notice_messages(
    notice: AlertNotice, title: str, lines: list[str], absent: list[str]
) -> None:
    message = render_notice(notice)
    assert message.title == title
    for line in lines:
        assert line in message.body, message.body
    for text in absent:
        assert text not in message.body, message.body
    assert message.body.endswith(notice.link)


def test_times_follow_the_timezone() -> None:
    assert "Zeit: 23.11.26, 16:04" in render_notice(BASE, "America/New_York").body


@pytest.mark.parametrize(
    ("language", "title", "phrase"),
    [
        ("de", "Benachrichtigungskanal gestört: Mail", "3-mal in Folge"),
        ("en", "Notification channel failing: Mail", "failed 3 times in a row"),
    ],
)
def test_unhealthy_message(language: str, title: str, phrase: str) -> None:
    message = render_unhealthy("Mail", "mailto://smtp.example", 3, "refused", language)  # type: ignore[arg-type]
    assert message.title == title
    assert phrase in message.body and "mailto://smtp.example" in message.body
    assert "refused" in message.body


@pytest.mark.parametrize(("language", "word"), [("de", "funktioniert"), ("en", "works")])
def test_test_message(language: str, word: str) -> None:
    assert word in render_test("Mail", language).body  # type: ignore[arg-type]


def test_digest_lists_items_oldest_first() -> None:
    items = [DigestItem(AT + HOUR, "second"), DigestItem(AT, "first")]
    message = render_digest(items, "de")
    assert message.title == "Tageszusammenfassung: 2 Meldungen"
    assert message.body.splitlines() == ["23.11.26, 22:04  first", "23.11.26, 23:04  second"]
    assert render_digest([], "en").body == "No notices."
