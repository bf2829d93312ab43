"""The ops listener's routes and the readiness rule."""

from __future__ import annotations

import httpx
import pytest

from lorahub.metrics import Metrics
from lorahub.ops import Readiness, create_ops_app, judge


@pytest.mark.parametrize(
    ("broker", "database", "spool", "accepting", "stopping", "ready"),
    [
        (True, True, True, True, False, True),
        (True, False, True, True, False, True),  # database away, the spool takes batches
        (True, False, True, False, False, False),  # ... and the spool is full: not ready
        (True, False, False, True, False, False),  # no spool: nowhere to put batches
        (True, True, True, False, False, True),  # spool full but the database writes
        (False, True, True, True, False, False),  # no broker
        (True, True, True, True, True, False),  # shutting down
    ],
)
def test_the_readiness_rule(
    broker: bool, database: bool, spool: bool, accepting: bool, stopping: bool, ready: bool
) -> None:
    state = judge(
        broker_connected=broker,
        database_up=database,
        spool_enabled=spool,
        spool_accepting=accepting,
        stopping=stopping,
    )
    assert state.ready is ready


async def test_routes_answer_with_state_and_metrics() -> None:
    metrics = Metrics()
    metrics.reconnects.inc()
    state = {
        "ready": judge(
            broker_connected=True, database_up=True, spool_enabled=True, spool_accepting=True
        )
    }

    def readiness() -> Readiness:
        return state["ready"]

    app = create_ops_app(metrics.registry, readiness)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://ops") as client:
        assert (await client.get("/healthz")).json() == {"status": "ok"}
        ready = await client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json()["broker_connected"] is True
        state["ready"] = judge(
            broker_connected=False, database_up=True, spool_enabled=True, spool_accepting=True
        )
        not_ready = await client.get("/readyz")
        assert not_ready.status_code == 503
        assert not_ready.json()["ready"] is False
        exposition = (await client.get("/metrics")).text
    assert "lorahub_mqtt_reconnects_total 1.0" in exposition
    assert "lorahub_ack_lag_seconds_bucket" in exposition
    assert "lorahub_spool_bytes" in exposition
