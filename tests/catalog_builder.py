"""Build a catalog folder for tests: the real catalog plus models decoded by our own test codecs."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CODECS = REPO / "tests" / "fixtures" / "codecs"

ROOM_SENSOR_TOML = """id = "acme/room-sensor"
vendor = "Acme"
name = "Room sensor (test codec)"
family = "environment"
codec = "js"
f_ports = [5]
source = "tests/fixtures/codecs/room_sensor.js"

[fields.temperature]
quantity = "temperature"

[fields.humidity]
quantity = "relative_humidity"

[fields.battery_mv]
quantity = "battery_voltage"
scale = 0.001
"""

ROOM_SENSOR_VECTORS = """source: written for lorahub's tests
vectors:
  - description: temperature, humidity, battery
    f_port: 5
    bytes: "0100e2022d0309c4"
    vendor: {temperature: 22.6, humidity: 45, battery_mv: 2500, calls: 1, port: 5}
    readings: {temperature: 22.6, relative_humidity: 45.0, battery_voltage: 2.5}
  - description: unknown record
    f_port: 5
    bytes: "09"
    error: "decode_failed: unknown record type 9"
"""

RUNAWAY_TOML = """id = "acme/runaway"
vendor = "Acme"
name = "Misbehaving codec (test)"
family = "generic"
codec = "js"
source = "tests/fixtures/codecs/runaway.js"
"""

RUNAWAY_VECTORS = """source: written for lorahub's tests
vectors:
  - description: well-behaved frame
    f_port: 1
    bytes: "00"
    vendor: {ok: 1}
  - description: endless loop is stopped
    f_port: 1
    bytes: "01"
    error: codec_timeout
"""

SERVER_DECODED_TOML = """id = "acme/server-decoded"
vendor = "Acme"
name = "Sensor decoded by the network server (test)"
family = "environment"
codec = "lns"
source = "the network server's payload formatter"

[fields."normalized/air/temperature"]
quantity = "temperature"

[fields.temperature]
quantity = "temperature"

[fields."normalized/air/relativeHumidity"]
quantity = "relative_humidity"

[fields.occupancy]
quantity = "occupancy"
values = { "0" = 0, "1" = 1, "2" = 1 }
"""

SERVER_DECODED_VECTORS = """source: written for lorahub's tests
vectors:
  - description: a ChirpStack object
    f_port: 5
    bytes: ""
    vendor: {temperature: 21.5, occupancy: 2.0}
    readings: {temperature: 21.5, occupancy: 1}
  - description: TTS normalized payload wins over the decoded object
    f_port: 5
    bytes: ""
    vendor: {temperature: 99.0, normalized: {air: {temperature: 21.5, relativeHumidity: 45}}}
    readings: {temperature: 21.5, relative_humidity: 45.0}
"""


def build_test_catalog(target: Path) -> Path:
    """Copy the real catalog into ``target`` and add the acme test models."""
    shutil.copytree(REPO / "decoders", target)
    models = {
        "room_sensor": (ROOM_SENSOR_TOML, ROOM_SENSOR_VECTORS, "room_sensor.js"),
        "runaway": (RUNAWAY_TOML, RUNAWAY_VECTORS, "runaway.js"),
        "server_decoded": (SERVER_DECODED_TOML, SERVER_DECODED_VECTORS, None),
    }
    for folder, (toml, vectors, codec) in models.items():
        path = target / "acme" / folder
        path.mkdir(parents=True)
        (path / "device.toml").write_text(toml)
        (path / "vectors.yaml").write_text(vectors)
        if codec is not None:
            shutil.copy(CODECS / codec, path / "codec.js")
    return target
