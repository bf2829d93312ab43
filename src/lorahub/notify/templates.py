"""Short notification texts in the tenant's language, as pure functions of their values.

Numbers and times follow the language's conventions (German decimal comma) through Babel;
times are shown in the given IANA timezone (Europe/Berlin unless the channel says otherwise).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, format_timedelta
from babel.numbers import format_decimal

from lorahub.alerts.notice import AlertNotice
from lorahub.domain.tenancy import Language
from lorahub.notify.channel import DEFAULT_TIMEZONE, Message
from lorahub.notify.wording import WORDINGS, Wording

_UNITLESS = frozenset({"1", "0/1"})


@dataclass(frozen=True, slots=True)
class DigestItem:
    """One notice held for a daily digest: when, how urgent, and its one-line title."""

    at_ns: int
    title: str


def format_number(value: float, language: Language) -> str:
    """``value`` with at most two decimals, in the language's notation (``1.234,5`` in German)."""
    return format_decimal(value, format="#,##0.##", locale=WORDINGS[language].locale)


def format_measure(value: float, unit: str | None, language: Language) -> str:
    """A value with its unit (``21,5 °C``); counts and flags have none."""
    number = format_number(value, language)
    return number if unit is None or unit in _UNITLESS else f"{number} {unit}"


def format_time(at_ns: int, language: Language, timezone: str = DEFAULT_TIMEZONE) -> str:
    """A point in time, short, in ``timezone`` (``23.11.26, 22:04`` in German)."""
    moment = datetime.fromtimestamp(at_ns / 1e9, UTC)
    return format_datetime(
        moment, "short", tzinfo=ZoneInfo(timezone), locale=WORDINGS[language].locale
    )


def format_duration(seconds: float, language: Language) -> str:
    """A rough duration (``2 Stunden``, ``5 minutes``)."""
    return format_timedelta(
        timedelta(seconds=seconds), threshold=1.5, locale=WORDINGS[language].locale
    )


def render_notice(notice: AlertNotice, timezone: str = DEFAULT_TIMEZONE) -> Message:
    """The message telling a channel ``notice``, in the notice's (the tenant's) language.

    Args:
        notice: what happened to which alert.
        timezone: where the reader is; times are shown in it.

    Returns:
        A title naming kind, severity, rule and device, and a body with the value and
        threshold (none for offline alerts), site, device, time and the device link.
    """
    words = WORDINGS[notice.language]
    headline = words.headline[notice.alert_kind]
    title = (
        f"{words.kind_prefix[notice.kind]}[{words.severity[notice.severity]}] "
        f"{headline}: {notice.rule_name} - {notice.device_name}"
    )
    lines = [_what(notice, words), *_happened(notice, words, timezone)]
    if notice.site_name:
        lines.append(words.site_line.format(site=notice.site_name))
    lines.append(words.device_line.format(device=notice.device_name, dev_eui=notice.dev_eui))
    if notice.kind != "resolved":
        time = format_time(notice.at_ns, notice.language, timezone)
        lines.append(words.time_line.format(time=time))
    lines.append(words.link_line.format(link=notice.link))
    return Message(title=title, body="\n".join(lines))


def _what(notice: AlertNotice, words: Wording) -> str:
    """The first line: the value against the threshold, or what is wrong."""
    if notice.alert_kind == "offline" or notice.value is None:
        return words.offline_line
    quantity = notice.quantity or ""
    label = words.quantity.get(quantity, quantity.replace("_", " ").capitalize())
    value = format_measure(notice.value, notice.unit, notice.language)
    if notice.alert_kind == "implausible" or notice.threshold is None:
        return words.implausible_line.format(quantity=label, value=value)
    threshold = format_measure(notice.threshold, notice.unit, notice.language)
    return words.value_line.format(quantity=label, value=value, threshold=threshold)


def _happened(notice: AlertNotice, words: Wording, timezone: str) -> list[str]:
    """Lines only some notice kinds have: reminder, who acknowledged, since when resolved."""
    if notice.kind == "renotified":
        return [words.reminder_line]
    if notice.kind == "acknowledged":
        lines = [words.acknowledged_line.format(actor=notice.actor or "?")]
        if notice.comment:
            lines.append(words.comment_line.format(comment=notice.comment))
        return lines
    if notice.kind == "resolved":
        time = format_time(notice.at_ns, notice.language, timezone)
        lines = [words.resolved_line.format(time=time)]
        if notice.started_ns is not None and notice.started_ns <= notice.at_ns:
            duration = format_duration((notice.at_ns - notice.started_ns) / 1e9, notice.language)
            lines.append(words.duration_line.format(duration=duration))
        return lines
    return []


def render_unhealthy(
    channel: str, masked_url: str, failures: int, error: str, language: Language
) -> Message:
    """The message telling a tenant's other channels that ``channel`` keeps failing."""
    words = WORDINGS[language]
    body = words.unhealthy_body.format(
        channel=channel, url=masked_url, failures=failures, error=error
    )
    return Message(title=words.unhealthy_title.format(channel=channel), body=body)


def render_test(channel: str, language: Language) -> Message:
    """A test message for ``channel``."""
    words = WORDINGS[language]
    return Message(title=words.test_title, body=words.test_body.format(channel=channel))


def render_digest(
    items: Sequence[DigestItem], language: Language, timezone: str = DEFAULT_TIMEZONE
) -> Message:
    """One message summarising ``items`` (oldest first), one line each with its time."""
    words = WORDINGS[language]
    lines = [
        f"{format_time(item.at_ns, language, timezone)}  {item.title}"
        for item in sorted(items, key=lambda item: item.at_ns)
    ]
    return Message(
        title=words.digest_title.format(count=len(items)),
        body="\n".join(lines) if lines else words.digest_empty,
    )
