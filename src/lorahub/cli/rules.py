"""``lorahub rules``: the alert rules of tenants, from options or from versioned rule files."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.table import Column, Table
from sqlalchemy import Engine

from lorahub.adapters.rules_sql import SqlRuleRepository
from lorahub.adapters.tenants_sql import Conflict, SqlTenantRepository
from lorahub.alerts.notice import Severity
from lorahub.alerts.rule_file import (
    FileFormat,
    RuleFileError,
    dump_rule_file,
    format_of,
    parse_rule_file,
)
from lorahub.alerts.rules import Rule, ThresholdRule
from lorahub.cli.context import failure, out, say
from lorahub.cli.registry_access import audit_change, registry_engine

app = typer.Typer(
    help="Manage alert rules: thresholds, offline, battery low, implausible values.",
    no_args_is_help=True,
)


@app.command("list")
def list_rules(
    ctx: typer.Context,
    tenant: Annotated[str | None, typer.Option(help="Only rules of this tenant.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List rules, by tenant and id (built-in liveness rules are not listed)."""
    items = SqlRuleRepository(registry_engine(ctx)).rules(None, tenant)
    if as_json:
        payload = [{"tenant": item.tenant, **item.rule.model_dump(mode="json")} for item in items]
        out.print_json(json.dumps(payload))
        return
    table = Table(
        Column("tenant", overflow="fold"),
        Column("id", overflow="fold"),
        "kind",
        "name",
        "condition",
        "scope",
        "severity",
        "on",
    )
    for item in items:
        rule = item.rule
        table.add_row(
            item.tenant,
            rule.id,
            rule.kind,
            rule.name,
            _condition(rule),
            _scope(rule),
            rule.severity,
            "yes" if rule.enabled else "no",
        )
    out.print(table)


@app.command("add")
def add(
    ctx: typer.Context,
    rule_id: Annotated[str, typer.Argument(metavar="ID", help="Rule id, e.g. co2-meeting.")],
    tenant: Annotated[str, typer.Option(help="Tenant the rule belongs to.")],
    quantity: Annotated[str, typer.Option(help="Canonical quantity, e.g. co2.")],
    name: Annotated[str | None, typer.Option(help="Display name (default: the id).")] = None,
    above: Annotated[float | None, typer.Option(help="Fire above this value.")] = None,
    below: Annotated[float | None, typer.Option(help="Fire below this value.")] = None,
    clear: Annotated[float | None, typer.Option(help="Resolve past this value.")] = None,
    hold: Annotated[float, typer.Option(min=0, help="Seconds the condition must hold.")] = 0,
    severity: Annotated[Severity, typer.Option(help="info, warning or critical.")] = "warning",
    site: Annotated[str | None, typer.Option(help="Only this site and its rooms.")] = None,
    device: Annotated[str | None, typer.Option(help="Only this DevEUI.")] = None,
    model: Annotated[str | None, typer.Option(help="Only this catalog model.")] = None,
    tag: Annotated[str | None, typer.Option(help="Only devices with tag key=value.")] = None,
) -> None:
    """Add a threshold rule (other kinds, and active hours, through `rules load`)."""
    try:
        rule = ThresholdRule(
            id=rule_id,
            name=name or rule_id,
            quantity=quantity,
            above=above,
            below=below,
            clear=clear,
            hold_s=hold,
            severity=severity,
            site=site,
            device=device,
            model=model,
            tag=tag,
        )
    except ValidationError as exc:
        raise failure(_errors(exc)) from exc
    engine = registry_engine(ctx)
    _require_tenant(engine, tenant)
    try:
        with engine.begin() as connection:
            SqlRuleRepository(engine).add(tenant, rule, time.time_ns(), connection)
            detail = rule.model_dump(mode="json")
            audit_change(engine, "create", "rule", rule_id, tenant, detail, connection)
    except Conflict as exc:
        raise failure(str(exc)) from exc
    say(f"added rule {rule_id} to tenant {tenant}: {_condition(rule)}")


@app.command("load")
def load(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(metavar="FILE", help="A TOML or YAML rule file, or -.")],
    prune: Annotated[
        bool, typer.Option("--prune", help="Remove each named tenant's rules the file omits.")
    ] = False,
    file_format: Annotated[
        FileFormat | None, typer.Option("--format", help="toml or yaml (default: by extension).")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check the file only.")] = False,
) -> None:
    """Load rules from a file (exit 1, changing nothing, when any rule is invalid)."""
    text = sys.stdin.read() if path == "-" else _read(Path(path))
    try:
        by_tenant = parse_rule_file(text, file_format or format_of(path))
    except RuleFileError as exc:
        raise failure(f"{path}: {exc}") from exc
    engine = registry_engine(ctx)
    for tenant in by_tenant:
        _require_tenant(engine, tenant)
    if dry_run:
        say(f"{path}: {sum(map(len, by_tenant.values()))} valid rules")
        return
    repository, now = SqlRuleRepository(engine), time.time_ns()
    with engine.begin() as connection:
        for tenant, rules in by_tenant.items():
            result = repository.load(tenant, rules, now, prune, connection)
            detail: dict[str, object] = {
                "added": list(result.added),
                "replaced": list(result.replaced),
                "removed": list(result.removed),
            }
            audit_change(engine, "import", "rules", path, tenant, detail, connection)
            say(
                f"{tenant}: {len(result.added)} added, {len(result.replaced)} replaced, "
                f"{len(result.removed)} removed"
            )


@app.command("export")
def export(
    ctx: typer.Context,
    tenant: Annotated[str | None, typer.Option(help="Only rules of this tenant.")] = None,
) -> None:
    """Print rules as a YAML rule file (for `rules load`)."""
    by_tenant: dict[str, list[Rule]] = {}
    for item in SqlRuleRepository(registry_engine(ctx)).rules(None, tenant):
        by_tenant.setdefault(item.tenant, []).append(item.rule)
    sys.stdout.write(dump_rule_file(by_tenant))


@app.command("remove")
def remove(
    ctx: typer.Context,
    tenant: Annotated[str, typer.Argument(help="Tenant id.")],
    rule_id: Annotated[str, typer.Argument(metavar="ID", help="Rule id.")],
) -> None:
    """Remove a rule; its firing alerts resolve (exit 1 when absent)."""
    engine = registry_engine(ctx)
    with engine.begin() as connection:
        removed = SqlRuleRepository(engine).remove(tenant, rule_id, connection)
        if removed:
            audit_change(engine, "delete", "rule", rule_id, tenant, connection=connection)
    if not removed:
        raise failure(f"no rule {rule_id!r} of tenant {tenant!r}")
    say(f"removed rule {rule_id} of tenant {tenant}")


def _require_tenant(engine: Engine, tenant: str) -> None:
    if SqlTenantRepository(engine).tenant(tenant, None) is None:
        raise failure(f"no tenant {tenant!r}")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise failure(f"cannot read {path}: {exc.strerror}") from exc


def _errors(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in error['loc']) or 'rule'}: {error['msg']}"
        for error in exc.errors()
    )


def _condition(rule: Rule) -> str:
    if isinstance(rule, ThresholdRule):
        sign, level = (">", rule.above) if rule.above is not None else ("<", rule.below)
        text = f"{rule.quantity} {sign} {level:g}, clear at {rule.clear_level:g}"
        return text + (f", hold {rule.hold_s:g} s" if rule.hold_s else "")
    if rule.kind == "offline":
        return (
            f"silent > {rule.after_s:g} s"
            if rule.after_s
            else f"silent > {rule.factor:g} x interval"
        )
    if rule.kind == "battery_low":
        return f"battery < {rule.below:g} %, clear at {rule.clear:g} %"
    return "value outside its physical range"


def _scope(rule: Rule) -> str:
    parts = [
        f"{key}={value}"
        for key, value in (
            ("site", rule.site),
            ("device", rule.device),
            ("model", rule.model),
            ("tag", rule.tag),
        )
        if value is not None
    ]
    return ", ".join(parts) or "tenant"
