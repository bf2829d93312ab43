"""Write uplinks as ChirpStack v4 or The Things Stack v3 would publish them (topic and JSON)."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import msgspec

from lorahub.domain.device import Device

LnsFormat = Literal["chirpstack-v4", "tts-v3"]

APPLICATION_ID = "5d1b7a3e-0c4f-4e2a-9b61-7f3c2d1e0a99"
TTS_APPLICATION = "lorahub-sim@ttn"
GATEWAY_EUI = "0016c001f11a2b3c"

_json = msgspec.json.Encoder()


@dataclass(frozen=True, slots=True)
class RadioSample:
    """Radio conditions of one simulated reception."""

    rssi: int
    snr: float
    frequency: int
    spreading_factor: int


def _rfc3339(time_ns: int) -> str:
    seconds, nanos = divmod(time_ns, 1_000_000_000)
    stamp = datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return f"{stamp}.{nanos:09d}Z"


def chirpstack_v4_uplink(
    device: Device, f_port: int, f_cnt: int, payload: bytes, time_ns: int, radio: RadioSample
) -> tuple[str, bytes]:
    """Topic and body of a ChirpStack v4 ``up`` event."""
    time_text = _rfc3339(time_ns)
    body = {
        "deduplicationId": str(uuid.uuid4()),
        "time": time_text,
        "deviceInfo": {
            "tenantId": str(uuid.uuid5(uuid.NAMESPACE_DNS, device.tenant)),
            "tenantName": device.tenant,
            "applicationId": APPLICATION_ID,
            "applicationName": "lorahub-simulator",
            "deviceProfileName": device.model,
            "deviceName": device.name,
            "devEui": device.dev_eui,
            "deviceClassEnabled": "CLASS_A",
            "tags": {"site": device.site},
        },
        "devAddr": device.dev_eui[8:],
        "adr": True,
        "dr": 12 - radio.spreading_factor,
        "fCnt": f_cnt,
        "fPort": f_port,
        "confirmed": False,
        "data": base64.b64encode(payload).decode(),
        "rxInfo": [
            {
                "gatewayId": GATEWAY_EUI,
                "uplinkId": f_cnt & 0xFFFFFFFF,
                "nsTime": time_text,
                "rssi": radio.rssi,
                "snr": radio.snr,
                "crcStatus": "CRC_OK",
            }
        ],
        "txInfo": {
            "frequency": radio.frequency,
            "modulation": {
                "lora": {
                    "bandwidth": 125000,
                    "spreadingFactor": radio.spreading_factor,
                    "codeRate": "CR_4_5",
                }
            },
        },
        "regionConfigId": "eu868",
    }
    topic = f"application/{APPLICATION_ID}/device/{device.dev_eui}/event/up"
    return topic, _json.encode(body)


def tts_v3_uplink(
    device: Device, f_port: int, f_cnt: int, payload: bytes, time_ns: int, radio: RadioSample
) -> tuple[str, bytes]:
    """Topic and body of a The Things Stack v3 ``up`` message."""
    time_text = _rfc3339(time_ns)
    body = {
        "end_device_ids": {
            "device_id": device.name,
            "application_ids": {"application_id": TTS_APPLICATION.split("@")[0]},
            "dev_eui": device.dev_eui.upper(),
        },
        "correlation_ids": [f"as:up:{uuid.uuid4().hex.upper()}"],
        "received_at": time_text,
        "uplink_message": {
            "f_port": f_port,
            "f_cnt": f_cnt,
            "frm_payload": base64.b64encode(payload).decode(),
            "rx_metadata": [
                {
                    "gateway_ids": {"gateway_id": "sim-gw", "eui": GATEWAY_EUI.upper()},
                    "time": time_text,
                    "rssi": radio.rssi,
                    "channel_rssi": radio.rssi,
                    "snr": radio.snr,
                }
            ],
            "settings": {
                "data_rate": {
                    "lora": {
                        "bandwidth": 125000,
                        "spreading_factor": radio.spreading_factor,
                        "coding_rate": "4/5",
                    }
                },
                "frequency": str(radio.frequency),
                "time": time_text,
            },
            "received_at": time_text,
            "attributes": {"site": device.site},
        },
    }
    topic = f"v3/{TTS_APPLICATION}/devices/{device.name}/up"
    return topic, _json.encode(body)


def uplink_message(
    lns: LnsFormat,
    device: Device,
    f_port: int,
    f_cnt: int,
    payload: bytes,
    time_ns: int,
    radio: RadioSample,
) -> tuple[str, bytes]:
    """Topic and body in the chosen network server's format."""
    match lns:
        case "chirpstack-v4":
            return chirpstack_v4_uplink(device, f_port, f_cnt, payload, time_ns, radio)
        case "tts-v3":
            return tts_v3_uplink(device, f_port, f_cnt, payload, time_ns, radio)
