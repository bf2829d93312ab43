"""Create a catalog folder for a model decoded by a TTN-style JavaScript codec."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from lorahub.decoding.js_codec import JsCodec, JsLimits
from lorahub.domain.ids import parse_model_id
from lorahub.domain.json_value import JsonValue
from lorahub.errors import DecodeError

_EXAMPLE = re.compile(r"(\d{1,3}):([0-9a-fA-F]*)")


@dataclass(frozen=True, slots=True)
class ScaffoldedModel:
    """What ``scaffold_js_model`` wrote."""

    folder: Path
    vectors: int
    output_keys: tuple[str, ...]


def parse_example(text: str) -> tuple[int, bytes]:
    """Parse ``FPORT:HEX`` (e.g. ``2:cbf60b0d0376``).

    Raises:
        ValueError: not of that form.
    """
    match = _EXAMPLE.fullmatch(text.strip())
    if not match or not 1 <= int(match.group(1)) <= 255 or len(match.group(2)) % 2:
        raise ValueError(f"example {text!r} is not FPORT:HEX")
    return int(match.group(1)), bytes.fromhex(match.group(2))


def ttn_examples(codec_yaml: str) -> list[dict[str, JsonValue]]:
    """Vectors from a TTN device-repository codec file (``uplinkDecoder.examples``).

    Raises:
        ValueError: the file has no uplink examples.
    """
    document = yaml.safe_load(codec_yaml) or {}
    examples = (document.get("uplinkDecoder") or {}).get("examples") or []
    vectors: list[dict[str, JsonValue]] = []
    for example in examples:
        given = example.get("input") or {}
        expected = example.get("output") or {}
        vector: dict[str, JsonValue] = {
            "description": str(example.get("description", "example")),
            "f_port": int(given.get("fPort", 1)),
            "bytes": bytes(given.get("bytes") or []).hex(),
            "source": "TTN device repository codec examples",
        }
        if expected.get("errors"):
            vector["error"] = "decode_failed: " + "; ".join(map(str, expected["errors"]))
        else:
            vector["vendor"] = expected.get("data") or {}
        vectors.append(vector)
    if not vectors:
        raise ValueError("the codec file has no uplinkDecoder.examples")
    return vectors


def recorded_examples(
    codec: JsCodec, examples: list[tuple[int, bytes]]
) -> list[dict[str, JsonValue]]:
    """Vectors that record what the codec outputs for the given payloads (a snapshot)."""
    vectors: list[dict[str, JsonValue]] = []
    for f_port, payload in examples:
        vector: dict[str, JsonValue] = {
            "description": f"recorded from codec.js, fPort {f_port}",
            "f_port": f_port,
            "bytes": payload.hex(),
            "source": "recorded by lorahub catalog add-js",
        }
        try:
            vector["vendor"] = codec.decode(payload, f_port)
        except DecodeError as exc:
            vector["error"] = f"decode_failed: {exc.message}"
        vectors.append(vector)
    return vectors


def scaffold_js_model(
    catalog_dir: Path,
    model_id: str,
    codec_source: str,
    vectors: list[dict[str, JsonValue]],
    family: str,
) -> ScaffoldedModel:
    """Write ``<vendor>/<model>/`` with codec.js, device.toml and vectors.yaml.

    Raises:
        ValueError: a bad model id, an existing folder, or no vectors.
        ConfigError: the codec does not load.
    """
    model = parse_model_id(model_id)
    vendor, name = model.split("/")
    folder = catalog_dir / vendor.replace("-", "_") / name.replace("-", "_")
    if folder.exists():
        raise ValueError(f"{folder} already exists")
    if not vectors:
        raise ValueError("a model needs vectors: give --examples or --example")
    JsCodec(codec_source, f"{folder}/codec.js", JsLimits())
    keys = sorted({key for v in vectors for key in _vendor_keys(v)})
    folder.mkdir(parents=True)
    (folder / "codec.js").write_text(codec_source, "utf-8")
    (folder / "device.toml").write_text(_device_toml(model, vendor, name, family, keys), "utf-8")
    document = {"source": "codec examples", "vectors": vectors}
    (folder / "vectors.yaml").write_text(yaml.safe_dump(document, sort_keys=False), "utf-8")
    return ScaffoldedModel(folder, len(vectors), tuple(keys))


def _vendor_keys(vector: dict[str, JsonValue]) -> list[str]:
    vendor = vector.get("vendor")
    return list(vendor) if isinstance(vendor, dict) else []


def _device_toml(model: str, vendor: str, name: str, family: str, keys: list[str]) -> str:
    listed = "\n".join(f'# [fields."{key}"]\n# quantity = ""' for key in keys)
    return f'''id = "{model}"
vendor = "{vendor}"
name = "{name}"
family = "{family}"
codec = "js"
f_ports = []
source = "codec.js (TTN device repository)"
description = "Decoded by the maker's JavaScript codec in the lorahub sandbox."

# Map the codec's output fields to canonical quantities (see README, readings schema).
# Fields the codec returned in the examples:
{listed}
'''
