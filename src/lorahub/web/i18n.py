"""German and English for the pages: which language a request gets, and the texts."""

from __future__ import annotations

from typing import Final, get_args

from lorahub.domain.tenancy import Language

LANGUAGES: Final = frozenset(get_args(Language))


def negotiate(explicit: str | None, accept_language: str | None, tenant: Language) -> Language:
    """The page language: ``?lang=``, else the browser's preference, else the tenant's.

    Args:
        explicit: the ``lang`` query parameter, if any.
        accept_language: the ``Accept-Language`` header, if any.
        tenant: the tenant's language (German unless set otherwise).
    """
    if explicit in LANGUAGES:
        return explicit  # type: ignore[return-value]  # checked against the Literal's values
    for language in _preferences(accept_language or ""):
        if language in LANGUAGES:
            return language  # type: ignore[return-value]
    return tenant


def _preferences(header: str) -> list[str]:
    """Primary language tags of an ``Accept-Language`` header, best first (q=0 left out)."""
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        name, _, value = params.strip().partition("=")
        if name.strip() == "q":
            try:
                quality = float(value)
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            weighted.append((-quality, position, tag.split("-")[0].lower()))
    return [tag for _, _, tag in sorted(weighted)]


TEXTS: Final[dict[str, dict[Language, str]]] = {
    "free": {"de": "frei", "en": "free"},
    "in_use": {"de": "belegt", "en": "in use"},
    "full": {"de": "voll", "en": "full"},
    "unknown": {"de": "keine Daten", "en": "no data"},
    "people": {"de": "{people} von {capacity} Personen", "en": "{people} of {capacity} people"},
    "people_open": {"de": "{people} Personen", "en": "{people} people"},
    "fill": {"de": "Füllstand {fill} %", "en": "fill level {fill} %"},
    "updated": {"de": "Stand {time}", "en": "as of {time}"},
    "today": {"de": "Verlauf heute", "en": "today"},
    "rooms": {"de": "Räume", "en": "Rooms"},
    "compartments": {"de": "Fächer", "en": "Compartments"},
    "live": {"de": "Live-Anzeige", "en": "Live view"},
    "no_rooms": {"de": "Keine Räume eingerichtet.", "en": "No rooms set up."},
    "fleet": {"de": "Geräteübersicht", "en": "Device fleet"},
    "device": {"de": "Gerät", "en": "Device"},
    "site": {"de": "Standort", "en": "Site"},
    "model": {"de": "Modell", "en": "Model"},
    "last_seen": {"de": "Zuletzt gehört", "en": "Last seen"},
    "never": {"de": "nie", "en": "never"},
    "overdue": {"de": "überfällig", "en": "overdue"},
    "battery": {"de": "Batterie", "en": "Battery"},
    "signal": {"de": "Signal (RSSI / SNR)", "en": "Signal (RSSI / SNR)"},
    "shown": {"de": "{shown} von {total} Geräten", "en": "{shown} of {total} devices"},
    "login": {"de": "Anmelden", "en": "Sign in"},
    "logout": {"de": "Abmelden", "en": "Sign out"},
    "token": {"de": "API-Token", "en": "API token"},
    "token_help": {
        "de": "Das Token, das Ihre Verwaltung mit »lorahub tokens create« erstellt hat.",
        "en": "The token your administration created with “lorahub tokens create”.",
    },
    "bad_token": {"de": "Unbekanntes oder gesperrtes Token.", "en": "Unknown or revoked token."},
    "connection_lost": {
        "de": "Verbindung unterbrochen, wird wiederhergestellt …",
        "en": "Connection lost, reconnecting …",
    },
    "readings": {"de": "Letzte Messwerte", "en": "Latest readings"},
    "no_readings": {"de": "Noch keine Messwerte.", "en": "No readings yet."},
    "quantity": {"de": "Größe", "en": "Quantity"},
    "value": {"de": "Wert", "en": "Value"},
    "alerts": {"de": "Alarme", "en": "Alerts"},
    "no_alerts": {"de": "Keine Alarme.", "en": "No alerts."},
    "rule": {"de": "Regel", "en": "Rule"},
    "severity": {"de": "Stufe", "en": "Severity"},
    "state": {"de": "Zustand", "en": "State"},
    "since": {"de": "Seit", "en": "Since"},
    "firing": {"de": "aktiv", "en": "firing"},
    "acknowledged": {"de": "bestätigt", "en": "acknowledged"},
    "resolved": {"de": "behoben", "en": "resolved"},
    "acknowledge": {"de": "Bestätigen", "en": "Acknowledge"},
    "comment": {"de": "Kommentar", "en": "Comment"},
    "acked_by": {"de": "bestätigt von {actor}", "en": "acknowledged by {actor}"},
    "language": {"de": "English", "en": "Deutsch"},
    "navigation": {"de": "Sprache und Sitzung", "en": "Language and session"},
}


def text(key: str, language: Language, **values: object) -> str:
    """The text ``key`` in ``language`` with ``values`` filled in."""
    return TEXTS[key][language].format(**values)
