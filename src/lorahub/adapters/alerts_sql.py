"""Alerts, their history and the evaluator's per-rule state in SQL.

The engine writes a whole evaluation round (state changes, new and resolved alerts) in one
transaction, so a restart finds exactly what was notified: a firing alert is neither
forgotten nor fired twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Connection, Engine, RowMapping, and_, delete, insert, or_, select, update

from lorahub.adapters.sql_schema import alert_history, alert_state, alerts
from lorahub.adapters.tenants_sql import Scope
from lorahub.alerts.evaluate import RuleState
from lorahub.alerts.notice import AlertKind, Severity

AlertState = Literal["firing", "acknowledged", "resolved"]
HistoryKind = Literal["fired", "acknowledged", "renotified", "resolved"]
StateKey = tuple[str, str, str]
"""(tenant, rule id, DevEUI)."""


@dataclass(frozen=True, slots=True)
class AlertRecord:
    """One alert as stored."""

    id: int
    tenant: str
    rule: str
    kind: AlertKind
    dev_eui: str
    site: str | None
    severity: Severity
    state: AlertState
    quantity: str | None
    value: float | None
    threshold: float | None
    started_ns: int
    acknowledged_ns: int | None
    acknowledged_by: str | None
    ack_comment: str | None
    resolved_ns: int | None
    last_notified_ns: int | None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One thing that happened to an alert."""

    at_ns: int
    kind: HistoryKind
    value: float | None
    actor: str | None
    comment: str | None


@dataclass(frozen=True, slots=True)
class NewAlert:
    """An alert to open."""

    tenant: str
    rule: str
    kind: AlertKind
    dev_eui: str
    site: str | None
    severity: Severity
    quantity: str | None
    value: float | None
    threshold: float | None
    at_ns: int


class SqlAlertStore:
    """Reads and writes alerts, their history and the evaluator state."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @property
    def engine(self) -> Engine:
        """The database the alerts are in."""
        return self._engine

    # evaluator state ---------------------------------------------------------------------

    def states(self) -> dict[StateKey, RuleState]:
        """Every stored rule state that is not ``ok``."""
        with self._engine.connect() as connection:
            rows = connection.execute(select(alert_state)).mappings().all()
        return {
            (row["tenant"], row["rule"], row["dev_eui"]): RuleState(**row["state"]) for row in rows
        }

    def save_states(self, changes: dict[StateKey, RuleState], connection: Connection) -> None:
        """Store changed states (``ok`` ones are deleted) in the caller's transaction."""
        for (tenant, rule, dev_eui), state in changes.items():
            key = and_(
                alert_state.c.tenant == tenant,
                alert_state.c.rule == rule,
                alert_state.c.dev_eui == dev_eui,
            )
            connection.execute(delete(alert_state).where(key))
            if state.phase != "ok":
                connection.execute(
                    insert(alert_state).values(
                        tenant=tenant,
                        rule=rule,
                        dev_eui=dev_eui,
                        state=_state_json(state),
                        updated_ns=state.since_ns or 0,
                    )
                )

    # alerts ------------------------------------------------------------------------------

    def open(self, alert: NewAlert, connection: Connection) -> AlertRecord:
        """Open a firing alert and note it in its history; returns it as stored."""
        values = {
            "tenant": alert.tenant,
            "rule": alert.rule,
            "kind": alert.kind,
            "dev_eui": alert.dev_eui,
            "site": alert.site,
            "severity": alert.severity,
            "state": "firing",
            "quantity": alert.quantity,
            "value": alert.value,
            "threshold": alert.threshold,
            "started_ns": alert.at_ns,
            "last_notified_ns": alert.at_ns,
        }
        result = connection.execute(insert(alerts).values(**values))
        alert_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        self._note(connection, alert_id, alert.at_ns, "fired", alert.value)
        return AlertRecord(
            id=alert_id,
            acknowledged_ns=None,
            acknowledged_by=None,
            ack_comment=None,
            resolved_ns=None,
            **values,  # type: ignore[arg-type]
        )

    def resolve(
        self, key: StateKey, at_ns: int, value: float | None, connection: Connection
    ) -> AlertRecord | None:
        """Resolve the open alert of a rule and device; None when there is none."""
        record = self._open_alert(key, connection)
        if record is None:
            return None
        connection.execute(
            update(alerts)
            .where(alerts.c.id == record.id)
            .values(state="resolved", resolved_ns=at_ns)
        )
        self._note(connection, record.id, at_ns, "resolved", value)
        return record

    def acknowledge(
        self, alert_id: int, actor: str, comment: str | None, at_ns: int, connection: Connection
    ) -> AlertRecord | None:
        """Acknowledge a firing alert in the caller's transaction; None when it is not firing."""
        result = connection.execute(
            update(alerts)
            .where(alerts.c.id == alert_id, alerts.c.state == "firing")
            .values(
                state="acknowledged",
                acknowledged_ns=at_ns,
                acknowledged_by=actor,
                ack_comment=comment,
            )
        )
        if not result.rowcount:
            return None
        self._note(connection, alert_id, at_ns, "acknowledged", None, actor, comment)
        return self._get(alert_id, None, connection)

    def due_for_renotification(self, now_ns: int, default_after_s: float) -> list[AlertRecord]:
        """Firing (unacknowledged) critical alerts last notified longer ago than the interval.

        The engine applies per-rule intervals; this uses the shortest reasonable filter.
        """
        limit = now_ns - int(default_after_s * 1e9)
        query = select(alerts).where(
            alerts.c.state == "firing",
            alerts.c.severity == "critical",
            or_(alerts.c.last_notified_ns.is_(None), alerts.c.last_notified_ns <= limit),
        )
        with self._engine.connect() as connection:
            return [_record(row) for row in connection.execute(query).mappings()]

    def acknowledged_since(self, since_ns: int) -> list[AlertRecord]:
        """Alerts acknowledged at or after ``since_ns`` (by the API or the CLI), oldest first."""
        query = (
            select(alerts)
            .where(alerts.c.acknowledged_ns >= since_ns)
            .order_by(alerts.c.acknowledged_ns)
        )
        with self._engine.connect() as connection:
            return [_record(row) for row in connection.execute(query).mappings()]

    def renotified(self, alert_id: int, at_ns: int, connection: Connection) -> None:
        """Note a re-notification."""
        connection.execute(
            update(alerts).where(alerts.c.id == alert_id).values(last_notified_ns=at_ns)
        )
        self._note(connection, alert_id, at_ns, "renotified", None)

    def find(
        self,
        scope: Scope,
        tenant: str | None = None,
        states: Sequence[AlertState] = (),
        dev_eui: str | None = None,
        limit: int = 100,
    ) -> list[AlertRecord]:
        """Alerts in scope, newest first."""
        query = select(alerts).order_by(alerts.c.started_ns.desc(), alerts.c.id.desc()).limit(limit)
        if scope is not None:
            query = query.where(alerts.c.tenant.in_(scope))
        if tenant is not None:
            query = query.where(alerts.c.tenant == tenant)
        if states:
            query = query.where(alerts.c.state.in_(list(states)))
        if dev_eui is not None:
            query = query.where(alerts.c.dev_eui == dev_eui)
        with self._engine.connect() as connection:
            return [_record(row) for row in connection.execute(query).mappings()]

    def get(self, alert_id: int, scope: Scope) -> AlertRecord | None:
        """One alert, or None when absent or out of scope."""
        with self._engine.connect() as connection:
            return self._get(alert_id, scope, connection)

    def history(self, alert_id: int) -> list[HistoryEntry]:
        """What happened to an alert, oldest first."""
        query = (
            select(alert_history)
            .where(alert_history.c.alert_id == alert_id)
            .order_by(alert_history.c.at_ns, alert_history.c.id)
        )
        with self._engine.connect() as connection:
            return [
                HistoryEntry(row["at_ns"], row["kind"], row["value"], row["actor"], row["comment"])
                for row in connection.execute(query).mappings()
            ]

    def begin(self) -> AbstractContextManager[Connection]:
        """A transaction for one evaluation round (``with store.begin() as connection``)."""
        return self._engine.begin()

    # helpers -----------------------------------------------------------------------------

    def _open_alert(self, key: StateKey, connection: Connection) -> AlertRecord | None:
        tenant, rule, dev_eui = key
        query = select(alerts).where(
            alerts.c.tenant == tenant,
            alerts.c.rule == rule,
            alerts.c.dev_eui == dev_eui,
            alerts.c.state != "resolved",
        )
        row = connection.execute(query).mappings().first()
        return None if row is None else _record(row)

    @staticmethod
    def _get(alert_id: int, scope: Scope, connection: Connection) -> AlertRecord | None:
        query = select(alerts).where(alerts.c.id == alert_id)
        if scope is not None:
            query = query.where(alerts.c.tenant.in_(scope))
        row = connection.execute(query).mappings().first()
        return None if row is None else _record(row)

    @staticmethod
    def _note(
        connection: Connection,
        alert_id: int,
        at_ns: int,
        kind: HistoryKind,
        value: float | None,
        actor: str | None = None,
        comment: str | None = None,
    ) -> None:
        connection.execute(
            insert(alert_history).values(
                alert_id=alert_id, at_ns=at_ns, kind=kind, value=value, actor=actor, comment=comment
            )
        )


def _state_json(state: RuleState) -> dict[str, object]:
    return {
        "phase": state.phase,
        "since_ns": state.since_ns,
        "value": state.value,
        "quantity": state.quantity,
    }


def _record(row: RowMapping) -> AlertRecord:
    return AlertRecord(**row)
