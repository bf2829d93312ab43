"""Configure structlog once at start-up: console or JSON lines, at the configured level."""

from __future__ import annotations

import logging

import structlog

from lorahub.settings import LoggingSettings


def configure_logging(settings: LoggingSettings) -> None:
    """Route structlog and the standard library's logging through one renderer."""
    level = getattr(logging, settings.level.upper())
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer()
        if settings.format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        cache_logger_on_first_use=True,
    )
    logging.basicConfig(level=max(level, logging.WARNING), format="%(name)s: %(message)s")
    # gmqtt logs every reconnect attempt at warning with a traceback; ours is enough.
    logging.getLogger("gmqtt").setLevel(logging.ERROR)
