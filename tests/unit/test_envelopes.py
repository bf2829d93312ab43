"""Envelope parsers: every reference sample mapped field by field, edge cases, and fuzzing."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lorahub.domain.ids import DevEui
from lorahub.domain.uplink import DeviceStatus, Envelope, OtherEvent, Uplink
from lorahub.envelopes import EnvelopeParser
from lorahub.errors import MalformedMessage

SHARED_REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference"
LNS = SHARED_REFERENCE / "lns"
MANIFEST: list[dict[str, Any]] = json.loads((LNS / "manifest.json").read_text())["files"]
TOPICS = {entry["file"]: entry["topic"] for entry in MANIFEST}
# Loriot and Helium are not MQTT topics we subscribe to: their manifest "topics" are
# descriptions, so they are only checked to be rejected (test_unsupported_lns_rejected).
UNSUPPORTED = {name for name in TOPICS if name.startswith(("loriot-", "helium-"))}
RECEIVED_NS = 1_800_000_000_123_456_789
PARSER = EnvelopeParser()

V4_TOPIC = "application/a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f601/device/a840414a51c3d7e2/event/up"
V3_TOPIC = "application/12/device/a840414a51c3d7e2/event/up"
TTS_TOPIC = "v3/smart-village-lindenau@ttn/devices/env-dorfplatz-01/up"


def ns(iso: str, extra_ns: int = 0) -> int:
    """Nanoseconds of a UTC ``YYYY-MM-DDTHH:MM:SS.ffffff`` time, plus sub-microsecond ns."""
    moment = datetime.fromisoformat(iso).replace(tzinfo=UTC)
    return int(moment.timestamp()) * 10**9 + moment.microsecond * 1000 + extra_ns


@dataclass(frozen=True)
class Up:
    """What one uplink sample must become."""

    dev_eui: str
    time_ns: int | None  # None: the receipt time, time_from_lns False
    f_port: int
    f_cnt: int | None
    payload_hex: str
    confirmed: bool
    gateways: int
    best_rssi: float | None
    frequency: int
    sf: int
    has_object: bool
    dedup: str | None


LHT = "cbcd04d203110103db7fff"
ELSYS = "0100d7022d0400b405031102070e1a"
LDDS = "0d18026400000001"
EUI_LHT = DevEui("a840414a51c3d7e2")
EUI_ELSYS = DevEui("a81758fffe0c4e21")
EUI_LDDS = DevEui("a84041c2e1b05f31")

# fmt: off
UPLINKS: dict[str, Up] = {
    "chirpstack-v4-up.json": Up(
        EUI_LHT, ns("2025-05-14T07:15:02.481913"), 2, 1842, LHT, False, 1, -97, 868500000, 7,
        True, "3f0c5a8e-9b21-4d7f-a6c3-18e4b2d09f57",
    ),
    "chirpstack-v4-up-multi-gateway.json": Up(
        EUI_ELSYS, ns("2025-05-14T09:30:11.208407"), 5, 5310, ELSYS, False, 2, -79, 867500000,
        9, True, "8d4e1f27-63a0-4c5b-b9e8-2f71c0a4d3e6",
    ),
    "chirpstack-v4-up-confirmed.json": Up(
        EUI_LDDS, ns("2025-05-14T11:02:47.930116"), 2, 377, LDDS, True, 1, -112, 868100000, 10,
        True, "c2a9b7d4-0e5f-4a13-8c6d-9f3e1b2a7c80",
    ),
    "chirpstack-v4-up-no-codec.json": Up(
        "70b3d57ed0061a2b", ns("2025-05-14T11:05:09.118200"), 10, 96, "0102e4015e", False, 1,
        -101, 867300000, 8, False, "5b7e2c91-d4a8-4f06-b3e1-7c9a0d2f4e18",
    ),
    "chirpstack-v4-up-mac-only.json": Up(
        EUI_LHT, ns("2025-05-14T12:40:55.604771"), 0, 1843, "", False, 1, -96, 868300000, 7,
        False, "e1d3f5a7-2b4c-4d6e-8f90-a1b2c3d4e5f6",
    ),
    "chirpstack-v4-up-duplicate.json": Up(
        EUI_LHT, ns("2025-05-14T07:15:04.791913"), 2, 1842, LHT, False, 1, -115, 868500000, 7,
        True, "91b0e6c4-7a2d-4e83-b5f1-06c8d2a9e473",
    ),
    "chirpstack-v4-up-codec-error.json": Up(
        EUI_ELSYS, ns("2025-05-14T13:12:30.015532"), 5, 5311, "0100d70299", False, 1, -81,
        867700000, 9, False, "2a6f8c0e-4b1d-4e97-a3c5-d7e9f1b3a5c7",
    ),
    "chirpstack-v4-up-legacy-4.3.json": Up(
        EUI_ELSYS, ns("2025-05-14T09:30:11.208407"), 5, 5310, ELSYS, False, 2, -79, 867500000,
        9, True, "8d4e1f27-63a0-4c5b-b9e8-2f71c0a4d3e6",
    ),
    # json_v3: SF derived from dr 3 at 867.5 MHz (EU868); time of the one GPS gateway.
    "chirpstack-v3-up.json": Up(
        EUI_ELSYS, ns("2025-05-14T09:30:11.208407"), 5, 5310, ELSYS, False, 2, -79, 867500000,
        9, True, None,
    ),
    "chirpstack-v3-up-protobuf-json.json": Up(
        EUI_ELSYS, ns("2025-05-14T09:30:11.208407"), 5, 5310, ELSYS, False, 2, -79, 867500000,
        9, True, None,
    ),
    "chirpstack-v3-up-no-rxinfo.json": Up(
        EUI_LHT, None, 2, 1843, LHT, False, 0, None, 868500000, 7, False, None
    ),
    "tts-v3-up.json": Up(
        EUI_LHT, ns("2025-05-14T07:15:02.481913"), 2, 1842, LHT, False, 1, -97, 868500000, 7,
        True, "gs:uplink:01JV6TB4PHEFZXGK628ZBV62VP",
    ),
    "tts-v3-up-multi-gateway.json": Up(
        EUI_ELSYS, ns("2025-05-14T09:30:11.208407"), 5, 5310, ELSYS, False, 3, -79, 867500000,
        9, True, "gs:uplink:01JV722KC8W0HM59GXX50RSQSY",
    ),
    "tts-v3-up-confirmed.json": Up(
        EUI_LDDS, ns("2025-05-14T11:02:47.930116"), 2, 377, LDDS, True, 1, -112, 868100000, 10,
        True, "gs:uplink:01JV77C5VTF8GSE83P3H44E91F",
    ),
    "tts-v3-up-mac-only.json": Up(
        EUI_LHT, ns("2025-05-14T12:40:55.604771"), 0, 1843, "", False, 1, -96, 868300000, 7,
        False, "gs:uplink:01JV7CZVHMD7FK1R5EQ8FPB167",
    ),
    "tts-v3-up-decode-error.json": Up(
        EUI_ELSYS, ns("2025-05-14T13:12:30.015532"), 5, 5311, "0100d70299", False, 1, -81,
        867700000, 9, False, "gs:uplink:01JV7ESNHZVN1Z592M1VVW2DCS",
    ),
    # Simulated: no f_cnt, no settings/rx time, no uplink received_at: top-level received_at.
    "tts-v3-up-simulated.json": Up(
        EUI_LDDS, ns("2025-05-14T14:05:33.219785", 446), 2, None, "0d1500e700000001", False, 1,
        42, 868000000, 7, True, "as:up:01JV7HTT53A1X9N2Z3T52TGVDA",
    ),
}

# fmt: on

STATUSES: dict[str, DeviceStatus] = {
    "chirpstack-v4-status.json": DeviceStatus(
        "chirpstack_v4", EUI_LHT, ns("2025-05-14T07:15:02.481913"), 88.18898, 12, False, True
    ),
    "chirpstack-v3-status.json": DeviceStatus(
        "chirpstack_v3", EUI_LHT, RECEIVED_NS, 88.18898, 12, False, False
    ),
}

OTHERS: dict[str, tuple[str, str, str | None]] = {
    "chirpstack-v4-log-codec-error.json": ("chirpstack_v4", "log:UPLINK_CODEC", EUI_ELSYS),
    "chirpstack-v4-log-fcnt-retransmission.json": (
        "chirpstack_v4",
        "log:UPLINK_F_CNT_RETRANSMISSION",
        EUI_LDDS,
    ),
    "chirpstack-v4-join.json": ("chirpstack_v4", "join", EUI_LDDS),
    "chirpstack-v4-ack.json": ("chirpstack_v4", "ack", EUI_LDDS),
    "chirpstack-v4-txack.json": ("chirpstack_v4", "txack", EUI_LDDS),
    "chirpstack-v4-location.json": ("chirpstack_v4", "location", EUI_ELSYS),
    "chirpstack-v4-command-down.json": ("chirpstack_v4", "command_down", EUI_LDDS),
    "chirpstack-v3-join.json": ("chirpstack_v3", "join", EUI_LHT),
    "chirpstack-v3-ack.json": ("chirpstack_v3", "ack", EUI_ELSYS),
    "chirpstack-v3-txack.json": ("chirpstack_v3", "txack", EUI_ELSYS),
    "chirpstack-v3-error.json": ("chirpstack_v3", "error:UPLINK_CODEC", EUI_ELSYS),
    "chirpstack-v3-location.json": ("chirpstack_v3", "location", EUI_ELSYS),
    "tts-v3-join.json": ("tts_v3", "join", EUI_LDDS),
    "tts-v3-down-queued.json": ("tts_v3", "down_queued", EUI_LDDS),
    "tts-v3-down-sent.json": ("tts_v3", "down_sent", EUI_LDDS),
    "tts-v3-down-ack.json": ("tts_v3", "down_ack", EUI_LDDS),
    "tts-v3-down-nack.json": ("tts_v3", "down_nack", EUI_LDDS),
    "tts-v3-down-failed.json": ("tts_v3", "down_failed", None),
    "tts-v3-down-push.json": ("tts_v3", "down_push", None),
    "tts-v3-location-solved.json": ("tts_v3", "location_solved", EUI_ELSYS),
}


def parse_sample(name: str, topic: str | None = None) -> Envelope:
    return PARSER.parse(topic or TOPICS[name], (LNS / name).read_bytes(), RECEIVED_NS)


def sample(name: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads((LNS / name).read_text())
    return value


def dumps(value: Any) -> bytes:
    return json.dumps(value).encode()


def test_every_sample_has_an_expectation() -> None:
    covered = set(UPLINKS) | set(STATUSES) | set(OTHERS) | UNSUPPORTED
    assert covered == set(TOPICS)


@pytest.mark.parametrize("name", sorted(UPLINKS))
def test_uplink_sample(name: str) -> None:
    want = UPLINKS[name]
    got = parse_sample(name)
    assert isinstance(got, Uplink)
    assert got.lns == ("tts_v3" if name.startswith("tts") else name[:13].replace("-", "_"))
    assert got.dev_eui == want.dev_eui
    assert got.time_ns == (RECEIVED_NS if want.time_ns is None else want.time_ns)
    assert got.time_from_lns is (want.time_ns is not None)
    assert (got.f_port, got.f_cnt) == (want.f_port, want.f_cnt)
    assert got.mac_only is (want.f_port == 0)
    assert got.payload.hex() == want.payload_hex
    assert got.confirmed is want.confirmed
    assert len(got.gateways) == want.gateways
    rssis = [g.rssi for g in got.gateways if g.rssi is not None]
    assert (max(rssis) if rssis else None) == want.best_rssi
    assert got.frequency == want.frequency
    assert got.spreading_factor == want.sf
    assert (got.lns_object is not None) is want.has_object
    assert got.deduplication_id == want.dedup
    assert got.simulated is name.endswith("simulated.json")


@pytest.mark.parametrize("name", sorted(STATUSES))
def test_status_sample(name: str) -> None:
    assert parse_sample(name) == STATUSES[name]


@pytest.mark.parametrize("name", sorted(OTHERS))
def test_other_event_sample(name: str) -> None:
    lns, event, dev_eui = OTHERS[name]
    assert parse_sample(name) == OtherEvent(lns, event, dev_eui)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(UNSUPPORTED))
def test_unsupported_lns_rejected(name: str) -> None:
    with pytest.raises(MalformedMessage, match="unknown topic layout"):
        parse_sample(name)


# --- field details of the samples ----------------------------------------------------------


def test_v4_details() -> None:
    got = parse_sample("chirpstack-v4-up-multi-gateway.json")
    assert isinstance(got, Uplink)
    assert [(g.gateway_id, g.rssi, g.snr) for g in got.gateways] == [
        ("7276ff000b031f9e", -108, -3.5),
        ("0016c001f11a2b3c", -79, 9.8),
    ]
    assert got.device_name == "hub-coworking-raum1"
    assert got.tags == (
        ("kind", "occupancy"),
        ("room", "coworking-1"),
        ("site", "dorfhub-lindenau"),
    )
    assert got.lns_object is not None
    assert got.lns_object["motion"] == 3.0


def test_v3_marshalers_agree() -> None:
    legacy = parse_sample("chirpstack-v3-up.json")
    protobuf = parse_sample("chirpstack-v3-up-protobuf-json.json")
    assert legacy == protobuf
    assert isinstance(protobuf, Uplink)
    assert protobuf.lns_object == {
        "temperature": 21.5,
        "humidity": 45,
        "light": 180,
        "motion": 3,
        "occupancy": 2,
        "vdd": 3610,
    }
    assert protobuf.tags == (("room", "coworking-1"), ("site", "dorfhub-lindenau"))
    assert protobuf.device_name == "hub-coworking-raum1"


def test_tts_details() -> None:
    got = parse_sample("tts-v3-up-multi-gateway.json")
    assert isinstance(got, Uplink)
    assert [g.gateway_id for g in got.gateways] == [
        "7276ff000b031f9e",
        "0016c001f11a2b3c",
        "packetbroker",
    ]
    assert got.device_name == "hub-coworking-raum1"
    assert got.tags == (
        ("kind", "occupancy"),
        ("room", "coworking-1"),
        ("site", "dorfhub-lindenau"),
    )
    simulated = parse_sample("tts-v3-up-simulated.json")
    assert isinstance(simulated, Uplink)
    assert simulated.simulated
    assert [(g.gateway_id, g.rssi, g.snr) for g in simulated.gateways] == [("test", 42, 4.2)]


def test_tts_battery_percentage_is_not_a_status() -> None:
    assert isinstance(parse_sample("tts-v3-up.json"), Uplink)


# --- time fallbacks ---------------------------------------------------------------------------


def test_v4_time_falls_back_to_gateway_then_ns_time_then_receipt() -> None:
    body = sample("chirpstack-v4-up-multi-gateway.json")
    del body["time"]
    got = PARSER.parse(V4_TOPIC, dumps(body), RECEIVED_NS)
    assert isinstance(got, Uplink)
    assert got.time_ns == ns("2025-05-14T09:30:11.208407")  # gwTime of the GPS gateway
    for rx in body["rxInfo"]:
        rx.pop("gwTime", None)
    got = PARSER.parse(V4_TOPIC, dumps(body), RECEIVED_NS)
    assert isinstance(got, Uplink)
    assert got.time_ns == ns("2025-05-14T09:30:11.245407")  # nsTime
    assert got.time_from_lns
    for rx in body["rxInfo"]:
        del rx["nsTime"]
    got = PARSER.parse(V4_TOPIC, dumps(body), RECEIVED_NS)
    assert isinstance(got, Uplink)
    assert (got.time_ns, got.time_from_lns) == (RECEIVED_NS, False)


def test_v4_legacy_rx_time_used() -> None:
    body = sample("chirpstack-v4-up-legacy-4.3.json")
    del body["time"]
    got = PARSER.parse(V4_TOPIC, dumps(body), RECEIVED_NS)
    assert isinstance(got, Uplink)
    assert got.time_ns == ns("2025-05-14T09:30:11.208407")


def test_v3_time_from_published_at() -> None:
    body = sample("chirpstack-v3-up-protobuf-json.json")
    body["rxInfo"][0]["time"] = None
    got = PARSER.parse(V3_TOPIC, dumps(body), RECEIVED_NS)
    assert isinstance(got, Uplink)
    assert got.time_ns == ns("2025-05-14T09:30:11.420407")


def test_tts_time_fallbacks() -> None:
    body = sample("tts-v3-up.json")
    up = body["uplink_message"]
    steps = [  # (holder, key removed, time expected afterwards)
        (up["settings"], "time", ns("2025-05-14T07:15:02.478913")),  # rx_metadata[0].time
        (up["rx_metadata"][0], "time", ns("2025-05-14T07:15:02.545913", 112)),  # NS received_at
        (up, "received_at", ns("2025-05-14T07:15:02.742913", 883)),  # AS received_at
        (body, "received_at", RECEIVED_NS),
    ]
    for holder, key, want in steps:
        del holder[key]
        got = PARSER.parse(TTS_TOPIC, dumps(body), RECEIVED_NS)
        assert isinstance(got, Uplink)
        assert (got.time_ns, got.time_from_lns) == (want, want != RECEIVED_NS)


# --- DevEUI resolution ------------------------------------------------------------------------


def test_body_dev_eui_wins_over_topic() -> None:
    body = (LNS / "chirpstack-v4-up.json").read_bytes()
    topic = V4_TOPIC.replace(EUI_LHT, "0102030405060708")
    assert PARSER.parse(topic, body, 0).dev_eui == EUI_LHT
    v3 = (LNS / "chirpstack-v3-up.json").read_bytes()
    assert PARSER.parse(V3_TOPIC, v3, 0).dev_eui == EUI_ELSYS


@pytest.mark.parametrize("name", ["chirpstack-v4-up.json", "chirpstack-v3-up.json"])
def test_topic_dev_eui_when_body_has_none(name: str) -> None:
    body = sample(name)
    if "deviceInfo" in body:
        body["deviceInfo"]["devEui"] = ""
    else:
        del body["devEUI"]
    topic = TOPICS[name].replace(
        "/device/" + TOPICS[name].split("/")[3], "/device/0102030405060708"
    )
    assert PARSER.parse(topic, dumps(body), 0).dev_eui == "0102030405060708"
    bad_topic = topic.replace("0102030405060708", "not-an-eui")
    with pytest.raises(MalformedMessage, match="topic DevEUI"):
        PARSER.parse(bad_topic, dumps(body), 0)


def test_upper_case_and_separated_dev_eui() -> None:
    body = sample("chirpstack-v4-up.json")
    body["deviceInfo"]["devEui"] = "A8-40-41-4A-51-C3-D7-E2"
    assert PARSER.parse(V4_TOPIC, dumps(body), 0).dev_eui == EUI_LHT


def test_tts_up_without_dev_eui_is_malformed() -> None:
    body = sample("tts-v3-up.json")
    del body["end_device_ids"]["dev_eui"]
    with pytest.raises(MalformedMessage, match=r"missing end_device_ids\.dev_eui"):
        PARSER.parse(TTS_TOPIC, dumps(body), 0)


# --- other dialect details --------------------------------------------------------------------


def test_legacy_v3_topics() -> None:
    base = "application/12/device/a81758fffe0c4e21/"
    up = PARSER.parse(base + "rx", (LNS / "chirpstack-v3-up.json").read_bytes(), 0)
    assert isinstance(up, Uplink)
    assert up.lns == "chirpstack_v3"
    status = PARSER.parse(base + "status", (LNS / "chirpstack-v3-status.json").read_bytes(), 0)
    assert isinstance(status, DeviceStatus)
    error = PARSER.parse(base + "error", (LNS / "chirpstack-v3-error.json").read_bytes(), 0)
    assert error == OtherEvent("chirpstack_v3", "error:UPLINK_CODEC", EUI_ELSYS)


def test_tts_open_source_topic_without_tenant() -> None:
    topic = "v3/smart-village-lindenau/devices/env-dorfplatz-01/up"
    assert isinstance(parse_sample("tts-v3-up.json", topic), Uplink)


def test_tts_f_cnt_zero_is_left_out() -> None:
    body = sample("tts-v3-up.json")
    del body["uplink_message"]["f_cnt"]
    got = PARSER.parse(TTS_TOPIC, dumps(body), 0)
    assert isinstance(got, Uplink)
    assert got.f_cnt == 0


def test_battery_unavailable() -> None:
    body = sample("chirpstack-v4-status.json")
    body["batteryLevelUnavailable"] = True
    got = PARSER.parse(V4_TOPIC.replace("/up", "/status"), dumps(body), 0)
    assert isinstance(got, DeviceStatus)
    assert got.battery_percent is None


@pytest.mark.parametrize(
    "name",  # json_v3 decodes as v4 without deviceInfo; json fails v4 (modulation "LORA")
    ["chirpstack-v3-up.json", "chirpstack-v3-up-protobuf-json.json"],
)
def test_v3_body_mentioning_device_info_stays_v3(name: str) -> None:
    body = sample(name)
    body["tags"]["deviceInfo"] = "deviceInfo"
    body["deviceName"] = "deviceInfo"
    got = PARSER.parse(V3_TOPIC, dumps(body), 0)
    assert isinstance(got, Uplink)
    assert got.lns == "chirpstack_v3"


def test_sf_from_dr_only_in_eu868() -> None:
    body = sample("chirpstack-v3-up.json")
    body["txInfo"] = {"frequency": 902300000, "dr": 3}
    got = PARSER.parse(V3_TOPIC, dumps(body), 0)
    assert isinstance(got, Uplink)
    assert got.spreading_factor is None


def test_log_code_that_is_not_an_identifier() -> None:
    body = sample("chirpstack-v4-log-codec-error.json")
    body["code"] = "x" * 500
    got = PARSER.parse(V4_TOPIC.replace("/up", "/log"), dumps(body), 0)
    assert got == OtherEvent("chirpstack_v4", "log", EUI_ELSYS)


# --- precise rejections -----------------------------------------------------------------------


def _mutated(name: str, path: tuple[str | int, ...], value: Any) -> bytes:
    body: Any = sample(name)
    target = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return dumps(body)


@pytest.mark.parametrize(
    ("topic", "payload", "reason"),
    [
        (V4_TOPIC, b"not json", "not JSON"),
        (V4_TOPIC, b"", "not JSON"),
        (V4_TOPIC, b"\xff\xfe\x00", "not JSON"),
        (V4_TOPIC, b"[1, 2]", "Expected `object`"),
        (V4_TOPIC, b"null", "Expected `object`"),
        (V4_TOPIC, b"[" * 100_000, "Expected `object`"),
        (V4_TOPIC, b'{"a":' * 100_000, "nested too deeply"),
        (V4_TOPIC, b'{"deviceInfo":{"devEui":' * 50_000, "nested too deeply|Expected"),
        (V4_TOPIC, _mutated("chirpstack-v4-up.json", ("deviceInfo", "devEui"), 42), "`str`"),
        (V4_TOPIC, _mutated("chirpstack-v4-up.json", ("deviceInfo", "devEui"), "xyz"), "DevEUI"),
        (V4_TOPIC, _mutated("chirpstack-v4-up.json", ("data",), "!!!"), "base64"),
        (V4_TOPIC, _mutated("chirpstack-v4-up.json", ("fPort",), 256), r"\$\.fPort"),
        (V4_TOPIC, _mutated("chirpstack-v4-up.json", ("fCnt",), -1), r"\$\.fCnt"),
        (V4_TOPIC, _mutated("chirpstack-v4-up.json", ("time",), "yesterday"), "RFC 3339"),
        (V4_TOPIC, _mutated("chirpstack-v4-up.json", ("rxInfo",), [{}]), "gatewayId"),
        (V4_TOPIC, _mutated("chirpstack-v4-up.json", ("object",), [1]), r"\$\.object"),
        (V3_TOPIC, _mutated("chirpstack-v3-up.json", ("devEUI",), "qBdY//4M"), "6 bytes"),
        (V3_TOPIC, _mutated("chirpstack-v3-up.json", ("devEUI",), "zz=="), "base64"),
        (V3_TOPIC, _mutated("chirpstack-v3-up.json", ("rxInfo", 0, "gatewayID"), "?"), "gatewayID"),
        (
            V3_TOPIC,
            _mutated("chirpstack-v3-up-protobuf-json.json", ("objectJSON",), "{oops"),
            "objectJSON: not JSON",
        ),
        (V3_TOPIC, _mutated("chirpstack-v3-up.json", ("tags",), {"a": 1}), r"\$\.tags"),
        (TTS_TOPIC, b"{}", "missing uplink_message"),
        (
            TTS_TOPIC,
            _mutated("tts-v3-up.json", ("uplink_message", "settings", "frequency"), 868500000),
            r"got `int` - at `\$\.uplink_message\.settings\.frequency`",
        ),
        (
            TTS_TOPIC,
            _mutated("tts-v3-up.json", ("uplink_message", "settings", "frequency"), "86e6"),
            "frequency",
        ),
        (
            TTS_TOPIC,
            _mutated("tts-v3-up.json", ("uplink_message", "rx_metadata", 0, "gateway_ids"), {}),
            "gateway_ids",
        ),
        (
            TTS_TOPIC.replace("/up", "/down/queued"),
            _mutated("tts-v3-down-queued.json", ("end_device_ids", "dev_eui"), "nope"),
            "dev_eui",
        ),
        ("application/1/device/a840414a51c3d7e2/event/bogus", b"{}", "unknown ChirpStack event"),
        ("application/1/device/a840414a51c3d7e2/event/log", b"{}", "v3 event 'log'"),
        ("application/1/device/a840414a51c3d7e2/rxx", b"{}", "unknown topic layout"),
        ("v3/app@ttn/devices/dev/unknown", b"{}", "suffix"),
        ("v3/app@ttn/devices", b"{}", "unknown topic layout"),
        ("", b"{}", "unknown topic layout"),
        ("application/+/device/+/event/+", b"{}", "unknown ChirpStack event"),
        ("application/+/device/+/event/join", b"{}", "topic DevEUI"),
    ],
)
def test_rejections(topic: str, payload: bytes, reason: str) -> None:
    with pytest.raises(MalformedMessage, match=reason):
        PARSER.parse(topic, payload, 0)


def test_megabyte_message_parses() -> None:
    body = sample("chirpstack-v4-up.json")
    body["object"]["blob"] = "x" * 1_000_000
    got = PARSER.parse(V4_TOPIC, dumps(body), 0)
    assert isinstance(got, Uplink)


# --- fuzzing ----------------------------------------------------------------------------------

FUZZ_TOPICS = [
    V4_TOPIC,
    V4_TOPIC.replace("/up", "/status"),
    V4_TOPIC.replace("/up", "/log"),
    V4_TOPIC.replace("/up", "/join"),
    V4_TOPIC.replace("event/up", "command/down"),
    V3_TOPIC,
    V3_TOPIC.replace("/event/up", "/rx"),
    V3_TOPIC.replace("/up", "/status"),
    V3_TOPIC.replace("/up", "/error"),
    TTS_TOPIC,
    TTS_TOPIC.replace("/up", "/join"),
    TTS_TOPIC.replace("/up", "/down/failed"),
]
# fmt: off
KNOWN_KEYS = [
    "deviceInfo", "devEui", "devEUI", "deviceName", "tags", "time", "gwTime", "nsTime", "rxInfo",
    "txInfo", "gatewayId", "gatewayID", "rssi", "snr", "loRaSNR", "frequency", "modulation",
    "lora", "spreadingFactor", "loRaModulationInfo", "dr", "fCnt", "fPort", "data", "object",
    "objectJSON", "confirmed", "confirmedUplink", "publishedAt", "deduplicationId", "margin",
    "batteryLevel", "batteryLevelUnavailable", "externalPowerSource", "code", "type",
    "end_device_ids", "dev_eui", "device_id", "uplink_message", "f_port", "f_cnt", "frm_payload",
    "decoded_payload", "rx_metadata", "gateway_ids", "eui", "gateway_id", "settings", "data_rate",
    "spreading_factor", "received_at", "correlation_ids", "attributes", "simulated",
]
# fmt: on
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
    | st.sampled_from(["a840414a51c3d7e2", "qBdY//4MTiE=", "2025-05-14T09:30:11Z", "868100000"]),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(st.sampled_from(KNOWN_KEYS) | st.text(max_size=8), children, max_size=6)
    ),
    max_leaves=40,
)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _only_malformed(topic: str, payload: bytes) -> None:
    try:
        got = PARSER.parse(topic, payload, RECEIVED_NS)
    except MalformedMessage:
        return
    assert isinstance(got, Uplink | DeviceStatus | OtherEvent)


@FUZZ
@given(topic=st.sampled_from(FUZZ_TOPICS) | st.text(max_size=60), payload=st.binary(max_size=300))
def test_fuzz_bytes(topic: str, payload: bytes) -> None:
    _only_malformed(topic, payload)


@FUZZ
@given(topic=st.sampled_from(FUZZ_TOPICS), value=JSON_VALUES)
def test_fuzz_json(topic: str, value: Any) -> None:
    _only_malformed(topic, dumps(value))


@FUZZ
@given(
    name=st.sampled_from(sorted(set(UPLINKS) | set(STATUSES) | set(OTHERS))),
    data=st.data(),
)
def test_fuzz_mutated_samples(name: str, data: st.DataObject) -> None:
    body: Any = sample(name)
    target = body
    while isinstance(target, dict) and target and data.draw(st.booleans()):
        key = data.draw(st.sampled_from(sorted(target)))
        if not isinstance(target[key], dict):
            break
        target = target[key]
    if isinstance(target, dict) and target:
        target[data.draw(st.sampled_from(sorted(target)))] = data.draw(JSON_VALUES)
    _only_malformed(TOPICS[name], dumps(body))


@pytest.mark.parametrize("topic", FUZZ_TOPICS)
@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deep_nesting(topic: str, depth: int) -> None:
    for payload in (b"[" * depth + b"]" * depth, b'{"object":' * depth + b"1" + b"}" * depth):
        _only_malformed(topic, payload)
