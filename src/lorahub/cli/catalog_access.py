"""Load the catalog for a command, turning a broken catalog into exit code 3."""

from __future__ import annotations

import typer

from lorahub.cli.context import EXIT_CONFIG, err
from lorahub.decoding.catalog import Catalog, load_configured_catalog
from lorahub.errors import ConfigError
from lorahub.settings import Settings


def catalog_of(settings: Settings) -> Catalog:
    """The device catalog named in the settings."""
    try:
        return load_configured_catalog(settings.catalog)
    except ConfigError as exc:
        err.print(f"[red]catalog error:[/red] {exc}")
        raise typer.Exit(EXIT_CONFIG) from exc
