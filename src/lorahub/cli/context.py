"""What every command needs: the settings file option, settings loading and consoles."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import typer
from rich.console import Console
from rich.text import Text

from lorahub.errors import ConfigError
from lorahub.settings import Settings, load_settings

EXIT_FAILURE = 1
EXIT_CONFIG = 3

out = Console()
err = Console(stderr=True)


@dataclass(frozen=True)
class CliState:
    """Options of the root command, passed down through typer's context."""

    config: Path | None


def settings_of(ctx: typer.Context) -> Settings:
    """Load the settings named by ``--config`` / ``$LORAHUB_CONFIG``; exit 3 when invalid."""
    state = ctx.find_object(CliState)
    try:
        return load_settings(state.config if state else None)
    except ConfigError as exc:
        err.print(f"[red]configuration error:[/red] {exc}")
        raise typer.Exit(EXIT_CONFIG) from exc


def failure(message: str) -> typer.Exit:
    """Print ``message`` in red on stderr, unwrapped and without markup; return exit 1 to raise."""
    err.print(Text(message, style="red"), soft_wrap=True)
    return typer.Exit(EXIT_FAILURE)


def say(message: str) -> None:
    """Print a plain result line on stdout (no markup, highlighting or wrapping)."""
    out.print(message, markup=False, highlight=False, soft_wrap=True)
