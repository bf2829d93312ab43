"""What the network last said about each device, and DevEUIs seen but not registered (pending)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from sqlalchemy import Connection, Engine, RowMapping, Table, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.expression import ColumnElement

from lorahub.adapters.sql_schema import device_state, pending_devices
from lorahub.domain.ids import DevEui


@dataclass(frozen=True, slots=True)
class DeviceActivity:
    """The latest uplink of a registered device: when, radio quality, and its last readings."""

    dev_eui: DevEui
    last_seen_ns: int
    f_cnt: int | None
    rssi: float | None
    snr: float | None
    gateways: int
    readings: dict[str, float | int] = field(default_factory=dict)
    readings_ns: int | None = None


@dataclass(frozen=True, slots=True)
class Sighting:
    """Uplinks of a DevEUI that is not registered: the newest one, how many, since when."""

    dev_eui: DevEui
    seen_ns: int
    lns_name: str | None
    topic: str
    payload: bytes
    count: int = 1
    first_seen_ns: int | None = None

    def merged(self, other: Sighting) -> Sighting:
        """Both together: the newer uplink's details, the sum of counts, the earliest time."""
        newer = other if self.seen_ns <= other.seen_ns else self
        return replace(
            newer,
            count=self.count + other.count,
            first_seen_ns=min(
                self.first_seen_ns or self.seen_ns, other.first_seen_ns or other.seen_ns
            ),
        )


@dataclass(frozen=True, slots=True)
class PendingDevice:
    """A DevEUI heard on the network but not registered yet, with its last uplink."""

    dev_eui: DevEui
    first_seen_ns: int
    last_seen_ns: int
    uplinks: int
    lns_name: str | None
    last_topic: str
    last_payload: bytes


class SqlDeviceState:
    """Upserts activity and pending sightings in batches; reads them for the API."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def record(self, activity: Sequence[DeviceActivity], sightings: Sequence[Sighting]) -> None:
        """Store the newest activity per device and count sightings of unknown DevEUIs.

        Readings are merged per quantity: an uplink without battery keeps the battery an earlier
        status reported, and a MAC-only frame keeps every reading.
        """
        with self._engine.begin() as connection:
            stored = _stored_readings(connection, [item.dev_eui for item in activity])
            _upsert_activities(
                connection, [_merged(item, stored.get(item.dev_eui)) for item in activity]
            )
            for sighting in sightings:
                _upsert_sighting(connection, sighting)

    def activity(self, dev_eui: DevEui) -> DeviceActivity | None:
        """The device's last activity, or None when it was never heard."""
        with self._engine.connect() as connection:
            row = (
                connection.execute(select(device_state).where(device_state.c.dev_eui == dev_eui))
                .mappings()
                .first()
            )
        return None if row is None else _activity(row)

    def activities(self, dev_euis: Sequence[DevEui] | None = None) -> list[DeviceActivity]:
        """The last activity of ``dev_euis`` that were heard (of every device when None)."""
        query = select(device_state)
        if dev_euis is not None:
            query = query.where(device_state.c.dev_eui.in_(list(dev_euis)))
        with self._engine.connect() as connection:
            return [_activity(row) for row in connection.execute(query).mappings()]

    def last_seen(self) -> dict[DevEui, int]:
        """When each device that was ever heard was last heard (ns), for liveness checks."""
        query = select(device_state.c.dev_eui, device_state.c.last_seen_ns)
        with self._engine.connect() as connection:
            return {DevEui(row.dev_eui): row.last_seen_ns for row in connection.execute(query)}

    def pending(self, limit: int = 500) -> list[PendingDevice]:
        """Unregistered DevEUIs, most recently heard first."""
        query = select(pending_devices).order_by(pending_devices.c.last_seen_ns.desc()).limit(limit)
        with self._engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [
            PendingDevice(
                dev_eui=DevEui(row["dev_eui"]),
                first_seen_ns=row["first_seen_ns"],
                last_seen_ns=row["last_seen_ns"],
                uplinks=row["uplinks"],
                lns_name=row["lns_name"],
                last_topic=row["last_topic"],
                last_payload=bytes(row["last_payload"]),
            )
            for row in rows
        ]

    def is_pending(self, dev_eui: DevEui, connection: Connection) -> bool:
        """Whether ``dev_eui`` is on the pending list (read in the caller's transaction)."""
        query = select(pending_devices.c.dev_eui).where(pending_devices.c.dev_eui == dev_eui)
        return connection.execute(query).first() is not None

    def forget_pending(self, dev_eui: DevEui, connection: Connection | None = None) -> None:
        """Drop a DevEUI from the pending list (it was claimed)."""
        statement = delete(pending_devices).where(pending_devices.c.dev_eui == dev_eui)
        if connection is not None:
            connection.execute(statement)
            return
        with self._engine.begin() as own:
            own.execute(statement)


_Stored = tuple[int, dict[str, float | int], int | None]
LOOKUP_CHUNK = 1000


def _stored_readings(connection: Connection, dev_euis: list[DevEui]) -> dict[str, _Stored]:
    stored: dict[str, _Stored] = {}
    for start in range(0, len(dev_euis), LOOKUP_CHUNK):  # stay below SQL parameter limits
        query = select(
            device_state.c.dev_eui,
            device_state.c.last_seen_ns,
            device_state.c.readings,
            device_state.c.readings_ns,
        ).where(device_state.c.dev_eui.in_(dev_euis[start : start + LOOKUP_CHUNK]))
        for row in connection.execute(query):
            stored[row.dev_eui] = (row.last_seen_ns, dict(row.readings or {}), row.readings_ns)
    return stored


def _merged(item: DeviceActivity, stored: _Stored | None) -> DeviceActivity:
    if stored is None or stored[0] > item.last_seen_ns or not stored[1]:
        return item  # nothing stored, or ours is older and will not be written
    _, readings, readings_ns = stored
    return replace(
        item,
        readings={**readings, **item.readings},
        readings_ns=item.readings_ns if item.readings else readings_ns,
    )


def _insert(connection: Connection, table: Table) -> sqlite.Insert | postgresql.Insert:
    if connection.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def _upsert_activities(connection: Connection, items: list[DeviceActivity]) -> None:
    """One executemany upsert; readings were already merged per quantity with the stored ones."""
    if not items:
        return
    statement = _insert(connection, device_state)
    newer: ColumnElement[bool] = device_state.c.last_seen_ns <= statement.excluded.last_seen_ns
    upsert = statement.on_conflict_do_update(
        index_elements=["dev_eui"],
        set_={
            name: getattr(statement.excluded, name)
            for name in (
                "last_seen_ns",
                "f_cnt",
                "rssi",
                "snr",
                "gateways",
                "readings",
                "readings_ns",
            )
        },
        where=newer,
    )
    connection.execute(
        upsert,
        [
            {
                "dev_eui": item.dev_eui,
                "last_seen_ns": item.last_seen_ns,
                "f_cnt": item.f_cnt,
                "rssi": item.rssi,
                "snr": item.snr,
                "gateways": item.gateways,
                "readings": item.readings,
                "readings_ns": item.readings_ns,
            }
            for item in items
        ],
    )


def _upsert_sighting(connection: Connection, sighting: Sighting) -> None:
    statement = _insert(connection, pending_devices).values(
        dev_eui=sighting.dev_eui,
        first_seen_ns=sighting.first_seen_ns or sighting.seen_ns,
        last_seen_ns=sighting.seen_ns,
        uplinks=sighting.count,
        lns_name=sighting.lns_name,
        last_topic=sighting.topic,
        last_payload=sighting.payload,
    )
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=["dev_eui"],
            set_={
                "last_seen_ns": statement.excluded.last_seen_ns,
                "uplinks": pending_devices.c.uplinks + statement.excluded.uplinks,
                "lns_name": statement.excluded.lns_name,
                "last_topic": statement.excluded.last_topic,
                "last_payload": statement.excluded.last_payload,
            },
        )
    )


def _activity(row: RowMapping) -> DeviceActivity:
    return DeviceActivity(
        dev_eui=DevEui(row["dev_eui"]),
        last_seen_ns=row["last_seen_ns"],
        f_cnt=row["f_cnt"],
        rssi=row["rssi"],
        snr=row["snr"],
        gateways=row["gateways"],
        readings=dict(row["readings"] or {}),
        readings_ns=row["readings_ns"],
    )
