"""Device import benchmark: a 100,000-row CSV through the import service, then the ingest directory.

    python benchmarks/registry_import.py [--devices 100000] [--url postgresql+psycopg://...]

Writes a CSV of DEVICES devices (3 tenants, 150 sites, every catalog model in turn) to a temp
folder, creates the tenants and sites, and imports the file with ``device_import.import_devices``
(parse, validate, tenancy checks, chunked upserts, one audit entry per chunk). Prints the elapsed
time, rows/s and the peak RSS of this process, then the memory the ingest path's in-memory
directory (``SqlDeviceRegistry.load_all()``) takes for those devices (tracemalloc) and the median
time of one DevEUI lookup in it.

Without --url the registry is a SQLite file in the temp folder. With a PostgreSQL URL, a fresh
database ``lorahub_bench_<pid>`` is created on that server for the run and dropped afterwards
(the database named in the URL is only used to reach the server).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from sqlalchemy import Engine, create_engine, make_url, text

from lorahub.adapters.registry_sql import SqlDeviceRegistry
from lorahub.adapters.sql_schema import create_database_engine
from lorahub.adapters.tenants_sql import SqlTenantRepository
from lorahub.decoding.catalog import load_catalog
from lorahub.device_import import ImportReport, import_devices
from lorahub.devices_csv import parse_device_rows
from lorahub.domain.device import Device
from lorahub.domain.ids import DevEui
from lorahub.domain.tenancy import Site, Tenant

REPO = Path(__file__).resolve().parents[1]
TENANTS = ("lindenau", "birkenfeld", "eichstedt")
HEADER = "dev_eui,name,model,tenant,site,empty_distance_m,full_distance_m,expected_interval_s"


def _sites(count: int) -> list[tuple[str, str]]:
    """(site, tenant) pairs, spread evenly over the tenants."""
    pairs = []
    for i in range(count):
        tenant = TENANTS[i % len(TENANTS)]
        pairs.append((f"{tenant}-site-{i:03d}", tenant))
    return pairs


def _write_csv(
    path: Path, devices: int, sites: Sequence[tuple[str, str]], models: Sequence[str]
) -> None:
    lines = [HEADER]
    for i in range(devices):
        site, tenant = sites[i % len(sites)]
        lines.append(
            f"{0xA8000000_00000000 + i:016x},dev-{i:06d},{models[i % len(models)]},"
            f"{tenant},{site},1.2,0.1,{600 + i % 7 * 300}"
        )
    path.write_text("\n".join(lines) + "\n", "utf-8")


@contextmanager
def _database(url: str | None, folder: Path) -> Iterator[str]:
    """The registry URL of the run: a SQLite file, or a fresh PostgreSQL database dropped after."""
    if url is None:
        yield f"sqlite:///{folder / 'registry.db'}"
        return
    server = make_url(url)
    name = f"lorahub_bench_{os.getpid()}"
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def _create_tenancy(engine: Engine, sites: Sequence[tuple[str, str]]) -> None:
    repository = SqlTenantRepository(engine)
    for tenant in TENANTS:
        repository.add_tenant(Tenant(tenant, tenant.title()), 0)
    for site, tenant in sites:
        repository.add_site(Site(site, tenant, site, "hub"), 0)


def _import(
    engine: Engine, csv_path: Path, models: frozenset[str], chunk: int
) -> tuple[ImportReport, float]:
    """Import the file as ``lorahub devices import`` does; return the report and seconds taken."""
    registry = SqlDeviceRegistry(engine)
    start = time.perf_counter()
    csv_text = csv_path.read_text("utf-8")
    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("importing devices", total=csv_text.count("\n") - 1)
        report = import_devices(
            parse_device_rows(csv_text, models),
            registry,
            registry.site_tenants(),
            None,
            time.time_ns(),
            "benchmark",
            chunk=chunk,
            progress=lambda done: progress.advance(task, done),
        )
    return report, time.perf_counter() - start


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _measure_directory(registry: SqlDeviceRegistry) -> None:
    """Print load time, memory and lookup time of the ingest path's in-memory directory."""
    start = time.perf_counter()
    directory = registry.load_all()
    load_s = time.perf_counter() - start
    del directory
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    directory = registry.load_all()
    after, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"directory: {len(directory)} devices, {(after - before) / 2**20:.1f} MiB held "
        f"({(after - before) / len(directory):.0f} B/device), {(peak - before) / 2**20:.1f} MiB "
        f"peak while loading, load {load_s:.2f} s"
    )
    with_loop, loop = _lookup_ns(directory)
    print(f"lookup: {with_loop - loop:.0f} ns median per DevEUI ({with_loop:.0f} ns with the loop)")


def _lookup_ns(directory: Mapping[DevEui, Device], batch: int = 1000) -> tuple[float, float]:
    """Median ns per lookup of random DevEUIs, and of the bare loop, over batches of ``batch``."""
    keys = list(directory)
    random.Random(42).shuffle(keys)
    get = directory.get
    lookups: list[float] = []
    loops: list[float] = []
    for start in range(0, len(keys), batch):
        chunk = keys[start : start + batch]
        began = time.perf_counter_ns()
        for key in chunk:
            get(key)
        middle = time.perf_counter_ns()
        for _key in chunk:
            pass
        lookups.append((middle - began) / len(chunk))
        loops.append((time.perf_counter_ns() - middle) / len(chunk))
    return statistics.median(lookups), statistics.median(loops)


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=100_000)
    parser.add_argument("--sites", type=int, default=150)
    parser.add_argument("--chunk", type=int, default=1000)
    parser.add_argument("--url", default=None, help="PostgreSQL server URL (default: SQLite)")
    args = parser.parse_args()

    models = sorted(load_catalog(REPO / "decoders"))
    sites = _sites(args.sites)
    with (
        tempfile.TemporaryDirectory(prefix="lorahub-import-") as tmp,
        _database(args.url, Path(tmp)) as url,
    ):
        csv_path = Path(tmp) / "devices.csv"
        _write_csv(csv_path, args.devices, sites, models)
        engine = create_database_engine(url)
        _create_tenancy(engine, sites)
        print(
            f"{engine.dialect.name}: {args.devices} devices of {len(models)} models, "
            f"{len(TENANTS)} tenants, {len(sites)} sites, "
            f"CSV {csv_path.stat().st_size / 1e6:.1f} MB"
        )
        report, elapsed = _import(engine, csv_path, frozenset(models), args.chunk)
        assert (report.created, report.rejected) == (args.devices, ()), report.rejected[:5]
        print(
            f"import: {elapsed:.2f} s, {args.devices / elapsed:,.0f} rows/s "
            f"(parse, validate, tenancy checks, upsert, audit; chunks of {args.chunk})"
        )
        print(f"peak RSS: {_peak_rss_mb():.0f} MB")
        _measure_directory(SqlDeviceRegistry(engine))
        engine.dispose()


if __name__ == "__main__":
    main()
