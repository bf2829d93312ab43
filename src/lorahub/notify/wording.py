"""The words of notifications in German and English: one table per language, no logic."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from lorahub.alerts.notice import AlertKind, NoticeKind, Severity
from lorahub.domain.tenancy import Language


@dataclass(frozen=True, slots=True)
class Wording:
    """Every phrase of one language; ``{…}`` fields are filled by ``notify.templates``."""

    locale: str
    severity: Mapping[Severity, str]
    headline: Mapping[AlertKind, str]
    """What the alert is about, e.g. "Grenzwert überschritten"; prefixed by the notice kind."""
    kind_prefix: Mapping[NoticeKind, str]
    quantity: Mapping[str, str]
    value_line: str
    offline_line: str
    implausible_line: str
    reminder_line: str
    acknowledged_line: str
    comment_line: str
    resolved_line: str
    duration_line: str
    site_line: str
    device_line: str
    rule_line: str
    time_line: str
    link_line: str
    unhealthy_title: str
    unhealthy_body: str
    test_title: str
    test_body: str
    digest_title: str
    digest_empty: str


GERMAN = Wording(
    locale="de_DE",
    severity=MappingProxyType({"info": "Info", "warning": "Warnung", "critical": "Kritisch"}),
    headline=MappingProxyType(
        {
            "threshold": "Grenzwert",
            "offline": "Gerät sendet nicht",
            "battery_low": "Batterie schwach",
            "implausible": "Unplausibler Wert",
        }
    ),
    kind_prefix=MappingProxyType(
        {
            "fired": "",
            "renotified": "Erinnerung: ",
            "acknowledged": "Bestätigt: ",
            "resolved": "Behoben: ",
        }
    ),
    quantity=MappingProxyType(
        {
            "temperature": "Temperatur",
            "external_temperature": "Temperatur (Fühler)",
            "relative_humidity": "Luftfeuchte",
            "co2": "CO₂",
            "pressure": "Luftdruck",
            "illuminance": "Helligkeit",
            "distance": "Abstand",
            "fill_level": "Füllstand",
            "occupancy": "Belegung",
            "motion_count": "Bewegungen",
            "people_count": "Personen",
            "people_in": "Eintritte",
            "people_out": "Austritte",
            "tvoc": "TVOC",
            "pm2_5": "Feinstaub PM2,5",
            "pm10": "Feinstaub PM10",
            "hcho": "Formaldehyd",
            "o3": "Ozon",
            "battery": "Batterie",
            "battery_voltage": "Batteriespannung",
        }
    ),
    value_line="{quantity}: {value} (Schwelle {threshold})",
    offline_line="Das Gerät meldet sich nicht mehr.",
    implausible_line="{quantity}: {value} liegt außerhalb des möglichen Bereichs.",
    reminder_line="Noch nicht bestätigt.",
    acknowledged_line="Bestätigt von {actor}.",
    comment_line="Kommentar: {comment}",
    resolved_line="Wieder in Ordnung seit {time}.",
    duration_line="Dauer: {duration}",
    site_line="Ort: {site}",
    device_line="Gerät: {device} ({dev_eui})",
    rule_line="Regel: {rule}",
    time_line="Zeit: {time}",
    link_line="{link}",
    unhealthy_title="Benachrichtigungskanal gestört: {channel}",
    unhealthy_body=(
        "Der Kanal „{channel}“ ({url}) ist {failures}-mal in Folge gescheitert.\n"
        "Letzter Fehler: {error}\nNachrichten an ihn werden weiter versucht."
    ),
    test_title="Testnachricht von lorahub",
    test_body="Der Kanal „{channel}“ funktioniert.",
    digest_title="Tageszusammenfassung: {count} Meldungen",
    digest_empty="Keine Meldungen.",
)

ENGLISH = Wording(
    locale="en_GB",
    severity=MappingProxyType({"info": "Info", "warning": "Warning", "critical": "Critical"}),
    headline=MappingProxyType(
        {
            "threshold": "Threshold",
            "offline": "Device silent",
            "battery_low": "Battery low",
            "implausible": "Implausible value",
        }
    ),
    kind_prefix=MappingProxyType(
        {
            "fired": "",
            "renotified": "Reminder: ",
            "acknowledged": "Acknowledged: ",
            "resolved": "Resolved: ",
        }
    ),
    # Other canonical names, spaced and capitalised, are English already.
    quantity=MappingProxyType(
        {
            "co2": "CO₂",
            "tvoc": "TVOC",
            "pm2_5": "PM2.5",
            "pm10": "PM10",
            "hcho": "Formaldehyde",
            "o3": "Ozone",
        }
    ),
    value_line="{quantity}: {value} (threshold {threshold})",
    offline_line="The device has stopped reporting.",
    implausible_line="{quantity}: {value} is outside the possible range.",
    reminder_line="Not acknowledged yet.",
    acknowledged_line="Acknowledged by {actor}.",
    comment_line="Comment: {comment}",
    resolved_line="Back to normal since {time}.",
    duration_line="Duration: {duration}",
    site_line="Site: {site}",
    device_line="Device: {device} ({dev_eui})",
    rule_line="Rule: {rule}",
    time_line="Time: {time}",
    link_line="{link}",
    unhealthy_title="Notification channel failing: {channel}",
    unhealthy_body=(
        "The channel '{channel}' ({url}) failed {failures} times in a row.\n"
        "Last error: {error}\nMessages to it are still being retried."
    ),
    test_title="Test message from lorahub",
    test_body="The channel '{channel}' works.",
    digest_title="Daily digest: {count} notices",
    digest_empty="No notices.",
)

WORDINGS: Mapping[Language, Wording] = MappingProxyType({"de": GERMAN, "en": ENGLISH})
"""The wording of each language; German is the default."""
