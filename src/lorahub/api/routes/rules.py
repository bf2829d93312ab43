"""/tenants/{tenant}/rules: a tenant's alert rules (operators and admins change them)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from lorahub.alerts.rules import Rule
from lorahub.api.audit_trail import audited
from lorahub.api.deps import PrincipalDep, ReadableTenant, ServicesDep, require_manage
from lorahub.api.problems import not_found, unprocessable
from lorahub.domain.ids import SLUG_PATTERN

RuleId = Annotated[str, Path(pattern=SLUG_PATTERN, description="a rule id (slug)")]


def add_routes(app: APIRouter, prefix: str) -> None:
    """Add the rule routes under ``prefix``."""
    base = f"{prefix}/tenants/{{tenant_id}}/rules"
    tags: list[str | Enum] = ["alert rules"]
    app.add_api_route(base, list_rules, tags=tags, methods=["GET"])
    app.add_api_route(
        base, create_rule, tags=tags, methods=["POST"], status_code=status.HTTP_201_CREATED
    )
    app.add_api_route(f"{base}/{{rule_id}}", read_rule, tags=tags, methods=["GET"])
    app.add_api_route(f"{base}/{{rule_id}}", replace_rule, tags=tags, methods=["PUT"])
    app.add_api_route(
        f"{base}/{{rule_id}}",
        delete_rule,
        tags=tags,
        methods=["DELETE"],
        status_code=status.HTTP_204_NO_CONTENT,
    )


def list_rules(
    tenant: ReadableTenant,
    services: ServicesDep,
    effective: Annotated[
        bool, Query(description="the rules in force: enabled own rules plus the built-ins")
    ] = False,
) -> list[Rule]:
    """The tenant's own rules; with ``effective``, the rules actually evaluated.

    Built-in liveness rules (offline, battery low, implausible) apply for each kind the tenant
    has no rule of itself.
    """
    if effective:
        return list(services.acknowledger.contexts.load().rules.get(tenant.id, ()))
    return [item.rule for item in services.rules.rules(None, tenant.id)]


def read_rule(tenant: ReadableTenant, rule_id: RuleId, services: ServicesDep) -> Rule:
    """One rule of the tenant."""
    rule = services.rules.get(tenant.id, rule_id)
    if rule is None:
        raise not_found("rule", rule_id)
    return rule


def create_rule(
    tenant: ReadableTenant, body: Rule, services: ServicesDep, principal: PrincipalDep
) -> Rule:
    """Create a rule; 409 when the tenant has one with this id, 422 when it is invalid."""
    require_manage(principal, tenant.id, "rule", body.id)
    detail = body.model_dump(mode="json")
    with audited(services, principal, "create", ("rule", body.id), tenant.id, detail) as connection:
        services.rules.add(tenant.id, body, services.clock(), connection)
    return body


def replace_rule(
    tenant: ReadableTenant,
    rule_id: RuleId,
    body: Rule,
    services: ServicesDep,
    principal: PrincipalDep,
) -> Rule:
    """Replace a rule (its firing alerts stay; the new levels apply from the next reading)."""
    require_manage(principal, tenant.id, "rule", rule_id)
    if body.id != rule_id:
        raise unprocessable(("body", "id"), f"id must be the path's rule id {rule_id!r}")
    detail = body.model_dump(mode="json")
    with audited(services, principal, "update", ("rule", rule_id), tenant.id, detail) as connection:
        if not services.rules.replace(tenant.id, body, services.clock(), connection):
            raise not_found("rule", rule_id)
    return body


def delete_rule(
    tenant: ReadableTenant, rule_id: RuleId, services: ServicesDep, principal: PrincipalDep
) -> None:
    """Delete a rule; its firing alerts resolve."""
    require_manage(principal, tenant.id, "rule", rule_id)
    with audited(services, principal, "delete", ("rule", rule_id), tenant.id) as connection:
        if not services.rules.remove(tenant.id, rule_id, connection):
            raise not_found("rule", rule_id)
