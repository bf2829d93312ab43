"""The composition root: build every component from its settings section and run the service."""

from __future__ import annotations

import asyncio
import contextlib
from zoneinfo import ZoneInfo

import structlog
from fastapi import FastAPI
from sqlalchemy import Engine

from lorahub.adapters.alert_context_sql import SqlAlertContextSource
from lorahub.adapters.alerts_sql import SqlAlertStore
from lorahub.adapters.deadletters_sql import SqlDeadLetterStore
from lorahub.adapters.device_state_sql import SqlDeviceState
from lorahub.adapters.influx_sink import InfluxSink
from lorahub.adapters.mqtt_source import MqttSource
from lorahub.adapters.registry_sql import SqlDeviceRegistry
from lorahub.adapters.spool import Spool
from lorahub.adapters.sql_schema import create_database_engine
from lorahub.adapters.tenants_sql import SqlTenantRepository
from lorahub.alerts.service import AlertService
from lorahub.api.app import create_app
from lorahub.api.server import serve_http
from lorahub.api.services import ApiServices
from lorahub.decoding.catalog import Catalog, load_configured_catalog
from lorahub.envelopes import EnvelopeParser
from lorahub.metrics import Metrics
from lorahub.notify.notifier import Notifier
from lorahub.notify.sender import AppriseSender
from lorahub.notify.worker import DeliveryWorker
from lorahub.ops import Readiness, create_ops_app, judge, serve_ops
from lorahub.pipeline.activity import ActivityRecorder
from lorahub.pipeline.dedup import DuplicateFilter
from lorahub.pipeline.directory import DeviceDirectory, site_capacities
from lorahub.pipeline.ingest import BatchObserver, IngestPipeline
from lorahub.pipeline.log_gate import RepeatGate
from lorahub.pipeline.process import MessageProcessor
from lorahub.pipeline.writer import BatchWriter
from lorahub.settings import Settings
from lorahub.web.context import web_context
from lorahub.web.live import LiveBoard
from lorahub.web.seed import seed_from_state, seed_today

log = structlog.get_logger("lorahub")


async def run_service(settings: Settings, stop: asyncio.Event) -> None:
    """Run ingestion until ``stop`` is set, then flush what is in flight and return.

    Raises:
        ConfigError: the catalog or settings are invalid (before anything connects).
    """
    catalog = load_configured_catalog(settings.catalog)
    engine = create_database_engine(settings.registry.url)
    registry = SqlDeviceRegistry(engine)
    sites = SqlTenantRepository(engine)
    directory = DeviceDirectory(registry.load_all(), site_capacities(sites.sites(None)))
    metrics = Metrics()
    processor = _processor(settings, directory, catalog)
    log.info(
        "starting", models=len(catalog), devices=len(directory), influx_api=settings.influx.api
    )
    recorder = ActivityRecorder(SqlDeviceState(engine), settings.registry.state_flush_s)
    board = LiveBoard(ZoneInfo(settings.web.timezone))  # the pages' live view of the batches
    if settings.web.enabled:
        await asyncio.to_thread(seed_from_state, board, SqlDeviceState(engine))
    recorder_stop = asyncio.Event()  # set after the last batch, so its activity is written too
    spool = Spool(settings.spool) if settings.spool.enabled else None
    async with InfluxSink(settings.influx) as sink:
        alerting = _alert_service(settings, engine, directory, sink)
        observers: list[BatchObserver] = [recorder]
        if settings.web.enabled:
            observers.append(board)
        if alerting is not None:
            observers.append(alerting)
        pipeline = IngestPipeline(
            processor,
            lambda reject: BatchWriter(sink, spool, reject, metrics, settings.spool.replay_check_s),
            SqlDeadLetterStore(engine),
            settings.pipeline,
            metrics,
            observers=observers,
        )
        metrics.in_flight.set_function(pipeline.in_flight)

        ops_stop = asyncio.Event()  # the ops listener answers until the very end
        source = MqttSource(settings.mqtt, pipeline.submit, metrics)
        async with asyncio.TaskGroup() as tasks:
            if (port := settings.metrics.port) is not None:
                ops = create_ops_app(
                    metrics.registry, lambda: _readiness(source, pipeline.writer, spool, stop)
                )
                tasks.create_task(serve_ops(ops, settings.metrics.host, port, ops_stop))
            flusher = tasks.create_task(pipeline.run(), name="flush")
            tasks.create_task(recorder.run(recorder_stop), name="device-state")
            if alerting is not None:  # stops with the recorder, after the last batch
                tasks.create_task(alerting.run(recorder_stop), name="alerts")
            if settings.notifications.enabled:
                worker = _notifications(settings, engine, metrics)
                tasks.create_task(worker.run(stop), name="notifications")
            tasks.create_task(
                _refresh_directory(registry, sites, directory, settings.registry.refresh_s, stop),
                name="registry-refresh",
            )
            if settings.web.enabled:
                tasks.create_task(seed_today(board, settings.influx), name="sparklines")
                app = _web_app(settings, engine, catalog, board)
                tasks.create_task(serve_http(app, settings.web, stop), name="web")
            async with source:
                await stop.wait()
                board.close()  # ends the pages' event streams, so the web server can stop
                await _flush(pipeline, flusher, settings.pipeline.shutdown_deadline_s)
                recorder_stop.set()
                # let the acknowledgement callbacks of the last batch reach the socket
                for _ in range(3):
                    await asyncio.sleep(0)
            ops_stop.set()
    if spool is not None:
        spool.close()
    engine.dispose()
    log.info("stopped")


def _processor(
    settings: Settings, directory: DeviceDirectory, catalog: Catalog
) -> MessageProcessor:
    """The per-message error boundary: parse, look up, decode, format."""
    return MessageProcessor(
        EnvelopeParser(),
        directory,
        catalog,
        DuplicateFilter(settings.pipeline.dedup_window_s, settings.pipeline.dedup_max_entries),
        RepeatGate(settings.logging.repeat_window_s),
    )


def _notifications(settings: Settings, engine: Engine, metrics: Metrics) -> DeliveryWorker:
    """The outbox worker that sends queued notifications through apprise."""
    sender = AppriseSender(settings.notifications.send_timeout_s)
    return DeliveryWorker(engine, sender, settings.notifications, metrics)


def _web_app(settings: Settings, engine: Engine, catalog: Catalog, board: LiveBoard) -> FastAPI:
    """The REST API, the pages and the public feed, on the registry database."""
    services = ApiServices.from_engine(engine, catalog, settings=settings)
    return create_app(services, web_context(settings.web, board))


def _alert_service(
    settings: Settings, engine: Engine, directory: DeviceDirectory, sink: InfluxSink
) -> AlertService | None:
    """The alert service on the registry database, or None when alerts are switched off."""
    if not settings.alerts.enabled:
        return None
    contexts = SqlAlertContextSource.on(engine, settings.alerts)
    return AlertService(
        settings.alerts,
        SqlAlertStore(engine),
        contexts,
        directory,
        SqlDeviceState(engine).last_seen,
        Notifier(engine),
        sink,
        settings.web.public_url,
    )


async def _flush(pipeline: IngestPipeline, flusher: asyncio.Task[None], deadline_s: float) -> None:
    """Write or spool what is in flight within ``deadline_s``; what is left stays queued."""
    log.info("stopping: flushing in-flight batches", deadline_s=deadline_s)
    await pipeline.close()
    try:
        await asyncio.wait_for(asyncio.shield(flusher), deadline_s)
    except TimeoutError:
        log.error("flush did not finish in time; unacknowledged messages stay with the broker")
        flusher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await flusher


def _readiness(
    source: MqttSource, writer: BatchWriter, spool: Spool | None, stop: asyncio.Event
) -> Readiness:
    depth = spool.depth() if spool is not None else None
    return judge(
        broker_connected=source.connected,
        database_up=writer.database_up,
        spool_enabled=spool is not None,
        spool_accepting=writer.spool_accepting,
        spool_bytes=depth.bytes if depth else 0,
        spool_batches=depth.batches if depth else 0,
        stopping=stop.is_set(),
    )


async def _refresh_directory(
    registry: SqlDeviceRegistry,
    sites: SqlTenantRepository,
    directory: DeviceDirectory,
    every_s: float,
    stop: asyncio.Event,
) -> None:
    fingerprint = await asyncio.to_thread(registry.fingerprint)
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every_s)
        if stop.is_set():
            return
        try:
            current = await asyncio.to_thread(registry.fingerprint)
            if current != fingerprint:
                directory.replace(await asyncio.to_thread(registry.load_all))
                fingerprint = current
                log.info("device registry reloaded", devices=len(directory))
            capacities = site_capacities(await asyncio.to_thread(sites.sites, None))
            if capacities != directory.site_capacities:  # sites are few: compare them whole
                directory.replace_site_capacities(capacities)
                log.info("site capacities reloaded", sites=len(capacities))
        except Exception as exc:  # keep the last good directory while the database is away
            log.error("registry refresh failed", error=repr(exc))
