"""``lorahub dashboards``: render the Grafana dashboards to JSON, check them, push them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.progress import Progress
from rich.table import Table

from lorahub.cli.context import err, failure, out, say
from lorahub.dashboards.grafana import GrafanaClient, GrafanaError, GrafanaTarget, PushedDashboard
from lorahub.dashboards.render import render_all, stale_dashboards, write_dashboards

app = typer.Typer(help="Grafana dashboards as code.", no_args_is_help=True)

DEFAULT_DIR = Path("dashboards")


@app.command("build")
def build_command(
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder of the JSON files.", file_okay=False)
    ] = DEFAULT_DIR,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 when a file is stale.")
    ] = False,
) -> None:
    """Render every dashboard to <out>/<name>.json (or check that the files are current)."""
    if check:
        stale = stale_dashboards(out_dir)
        if stale:
            raise failure(
                f"stale dashboards in {out_dir}: {', '.join(stale)} "
                "(run `lorahub dashboards build`)"
            )
        say(f"dashboards in {out_dir} are up to date")
        return
    for path in write_dashboards(out_dir):
        say(str(path))


@app.command("push")
def push_command(
    url: Annotated[str, typer.Option(envvar="GRAFANA_URL", help="Grafana base URL.")],
    token: Annotated[
        str,
        typer.Option(
            envvar="GRAFANA_TOKEN", help="Service account token (Editor).", show_default=False
        ),
    ],
    folder: Annotated[str, typer.Option(help="Folder title (created if missing).")] = "lorahub",
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
) -> None:
    """Create or overwrite every dashboard in a Grafana folder through its HTTP API."""
    try:
        target = GrafanaTarget.model_validate({"url": url, "token": token, "folder": folder})
    except ValidationError as exc:
        raise failure(f"invalid Grafana URL {url!r}") from exc
    dashboards = [json.loads(text) for text in render_all().values()]
    pushed: list[PushedDashboard] = []
    try:
        with (
            GrafanaClient(target) as grafana,
            Progress(console=err, disable=as_json, transient=True) as progress,
        ):
            task = progress.add_task("pushing dashboards", total=len(dashboards))
            folder_uid = grafana.folder_uid(target.folder)
            for dashboard in dashboards:
                pushed.append(grafana.push(dashboard, folder_uid))
                progress.advance(task)
    except GrafanaError as exc:
        raise failure(f"push failed after {len(pushed)} dashboards: {exc}") from None
    _report(pushed, target.folder, as_json)


def _report(pushed: list[PushedDashboard], folder: str, as_json: bool) -> None:
    if as_json:
        out.print_json(json.dumps([item.model_dump() for item in pushed]))
        return
    table = Table("uid", "title", "version", "url", title=f"folder {folder}")
    for item in pushed:
        table.add_row(item.uid, item.title, str(item.version), item.url)
    out.print(table)
