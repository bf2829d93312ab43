"""Alert rules in SQL: one row per tenant and rule id, the validated rule kept as JSON."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from lorahub.adapters.sql_schema import alert_rules
from lorahub.adapters.sql_transaction import transaction
from lorahub.adapters.tenants_sql import Conflict, Scope
from lorahub.alerts.rules import RULE_ADAPTER, Rule


@dataclass(frozen=True, slots=True)
class TenantRule:
    """A rule and the tenant it belongs to."""

    tenant: str
    rule: Rule


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What loading a rule file changed for one tenant."""

    added: tuple[str, ...]
    replaced: tuple[str, ...]
    removed: tuple[str, ...]


class SqlRuleRepository:
    """CRUD for alert rules; every change may join the caller's transaction."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(
        self, tenant: str, rule: Rule, now_ns: int, connection: Connection | None = None
    ) -> None:
        """Create a rule.

        Raises:
            Conflict: the tenant has a rule with this id, or the tenant does not exist.
        """
        try:
            with transaction(self._engine, connection) as connection:
                connection.execute(insert(alert_rules).values(**_row(tenant, rule, now_ns)))
        except IntegrityError as exc:
            raise Conflict(
                f"rule {rule.id!r} of tenant {tenant!r} exists (or no such tenant)"
            ) from exc

    def replace(
        self, tenant: str, rule: Rule, now_ns: int, connection: Connection | None = None
    ) -> bool:
        """Replace an existing rule; False when there is none with this id."""
        row = _row(tenant, rule, now_ns)
        del row["created_ns"]
        with transaction(self._engine, connection) as connection:
            result = connection.execute(
                update(alert_rules)
                .where(alert_rules.c.tenant == tenant, alert_rules.c.id == rule.id)
                .values(**row)
            )
        return bool(result.rowcount)

    def remove(self, tenant: str, rule_id: str, connection: Connection | None = None) -> bool:
        """Delete a rule; False when absent."""
        with transaction(self._engine, connection) as connection:
            result = connection.execute(
                delete(alert_rules).where(
                    alert_rules.c.tenant == tenant, alert_rules.c.id == rule_id
                )
            )
        return bool(result.rowcount)

    def get(self, tenant: str, rule_id: str) -> Rule | None:
        """One rule, or None."""
        query = select(alert_rules.c.spec).where(
            alert_rules.c.tenant == tenant, alert_rules.c.id == rule_id
        )
        with self._engine.connect() as connection:
            spec = connection.execute(query).scalar_one_or_none()
        return None if spec is None else RULE_ADAPTER.validate_python(spec)

    def rules(self, scope: Scope, tenant: str | None = None) -> list[TenantRule]:
        """Rules in scope (or of one tenant), by tenant and id."""
        query = select(alert_rules.c.tenant, alert_rules.c.spec).order_by(
            alert_rules.c.tenant, alert_rules.c.id
        )
        if scope is not None:
            query = query.where(alert_rules.c.tenant.in_(scope))
        if tenant is not None:
            query = query.where(alert_rules.c.tenant == tenant)
        with self._engine.connect() as connection:
            rows = connection.execute(query).all()
        return [TenantRule(row.tenant, RULE_ADAPTER.validate_python(row.spec)) for row in rows]

    def fingerprint(self) -> tuple[int, int]:
        """Changes whenever a rule is added, replaced or removed (count, newest update)."""
        query = select(func.count(), func.coalesce(func.max(alert_rules.c.updated_ns), 0))
        with self._engine.connect() as connection:
            count, newest = connection.execute(query).one()
        return int(count), int(newest)

    def load(
        self,
        tenant: str,
        rules: Sequence[Rule],
        now_ns: int,
        prune: bool,
        connection: Connection | None = None,
    ) -> LoadResult:
        """Make the tenant's rules those of a file: add new ids, replace known ones.

        With ``prune``, the tenant's rules that the file does not list are removed, so the file
        is the whole configuration (versioned rules).
        """
        with transaction(self._engine, connection) as connection:
            existing = set(
                connection.execute(
                    select(alert_rules.c.id).where(alert_rules.c.tenant == tenant)
                ).scalars()
            )
            added, replaced = [], []
            for rule in rules:
                if rule.id in existing:
                    self.replace(tenant, rule, now_ns, connection)
                    replaced.append(rule.id)
                else:
                    self.add(tenant, rule, now_ns, connection)
                    added.append(rule.id)
            listed = {rule.id for rule in rules}
            removed = sorted(existing - listed) if prune else []
            for rule_id in removed:
                self.remove(tenant, rule_id, connection)
        return LoadResult(tuple(added), tuple(replaced), tuple(removed))


def _row(tenant: str, rule: Rule, now_ns: int) -> dict[str, object]:
    return {
        "tenant": tenant,
        "id": rule.id,
        "kind": rule.kind,
        "spec": rule.model_dump(mode="json"),
        "enabled": rule.enabled,
        "created_ns": now_ns,
        "updated_ns": now_ns,
    }
