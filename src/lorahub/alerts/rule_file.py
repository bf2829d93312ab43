"""Rule files: versioned alert configuration in TOML or YAML, read into validated rules.

A file lists rules under ``rules``; each names its ``tenant``, or inherits the file's
top-level ``tenant``::

    tenant = "ostdorf"

    [[rules]]
    kind = "threshold"
    id = "co2-meeting-room"
    name = "CO2 im Besprechungsraum"
    quantity = "co2"
    above = 1400
    clear = 1200
    hold_s = 600
    site = "ostdorf-hub-meeting"
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from typing import Literal

import yaml
from pydantic import ValidationError

from lorahub.alerts.rules import RULE_ADAPTER, Rule
from lorahub.domain.ids import parse_slug

FileFormat = Literal["toml", "yaml"]


class RuleFileError(ValueError):
    """The file is not a valid rule file; the message names the rule and field."""


def format_of(name: str) -> FileFormat:
    """The format a file name suggests (``.toml``, else YAML, which also reads JSON)."""
    return "toml" if name.lower().endswith(".toml") else "yaml"


def parse_rule_file(text: str, file_format: FileFormat) -> dict[str, list[Rule]]:
    """The rules of a file, by tenant, in file order.

    Raises:
        RuleFileError: the file does not parse, a rule is invalid (every problem is listed
            with the rule's position and id), or an id repeats within a tenant.
    """
    document = _load(text, file_format)
    default_tenant = document.get("tenant")
    entries = document.get("rules", [])
    if not isinstance(entries, list):
        raise RuleFileError("'rules' must be a list of rules")
    rules: dict[str, list[Rule]] = {}
    problems: list[str] = []
    for position, entry in enumerate(entries, start=1):
        try:
            tenant, rule = _rule(entry, default_tenant)
        except (ValueError, ValidationError) as exc:
            ident = entry.get("id", "?") if isinstance(entry, dict) else "?"
            problems.append(f"rule {position} ({ident}): {_describe(exc)}")
            continue
        if any(held.id == rule.id for held in rules.get(tenant, [])):
            problems.append(f"rule {position} ({rule.id}): id repeats for tenant {tenant!r}")
            continue
        rules.setdefault(tenant, []).append(rule)
    if problems:
        raise RuleFileError("\n".join(problems))
    return rules


def dump_rule_file(rules: Mapping[str, list[Rule]]) -> str:
    """Rules as a YAML rule file (what ``parse_rule_file`` reads back)."""
    entries = [
        {
            "tenant": tenant,
            **rule.model_dump(mode="json", exclude_defaults=True, exclude={"kind"}),
            "kind": rule.kind,
        }
        for tenant, tenant_rules in rules.items()
        for rule in tenant_rules
    ]
    return yaml.safe_dump({"rules": entries}, sort_keys=False, allow_unicode=True)


def _load(text: str, file_format: FileFormat) -> dict[str, object]:
    try:
        document = tomllib.loads(text) if file_format == "toml" else yaml.safe_load(text)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as exc:
        raise RuleFileError(f"not valid {file_format.upper()}: {exc}") from exc
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise RuleFileError("a rule file is a mapping with a 'rules' list")
    unknown = set(document) - {"tenant", "rules"}
    if unknown:
        raise RuleFileError(f"unknown top-level keys: {', '.join(sorted(map(str, unknown)))}")
    return document


def _rule(entry: object, default_tenant: object) -> tuple[str, Rule]:
    if not isinstance(entry, dict):
        raise ValueError("a rule is a mapping of fields")
    fields = dict(entry)
    tenant = fields.pop("tenant", default_tenant)
    if not isinstance(tenant, str):
        raise ValueError("no tenant: give 'tenant' on the rule or at the top of the file")
    return parse_slug(tenant, "tenant id"), RULE_ADAPTER.validate_python(fields)


def _describe(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{'.'.join(str(part) for part in error['loc'][1:]) or 'rule'}: {error['msg']}"
            for error in exc.errors()
        )
    return str(exc)
