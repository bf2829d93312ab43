"""Load the device catalog (one folder per model) once at start-up; bad entries stop it."""

from __future__ import annotations

import importlib.util
import sys
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType, ModuleType

import yaml
from pydantic import ValidationError

from lorahub.decoding import cayenne_lpp
from lorahub.decoding.fieldmap import FieldRule
from lorahub.decoding.js_codec import JsCodec, JsLimits
from lorahub.decoding.model import (
    DeviceModel,
    DeviceModelSpec,
    Sampler,
    VectorFileSpec,
    VendorDecoder,
    VendorEncoder,
)
from lorahub.domain.device import Calibration
from lorahub.domain.ids import ModelId, parse_model_id
from lorahub.domain.quantities import QUANTITIES
from lorahub.errors import ConfigError
from lorahub.settings import CatalogSettings

Catalog = Mapping[ModelId, DeviceModel]
"""Every device model by id; immutable once loaded."""

METADATA_FILE = "device.toml"
VECTORS_FILE = "vectors.yaml"
DECODER_FILE = "decoder.py"
JS_CODEC_FILE = "codec.js"


def load_catalog(directory: Path, js_limits: JsLimits | None = None) -> Catalog:
    """Load and validate every ``device.toml`` below ``directory``.

    Args:
        directory: the catalog root (``decoders/``).
        js_limits: sandbox limits for models with a ``codec.js`` (defaults: 100 ms, 16 MB).

    Returns:
        The catalog, keyed by model id.

    Raises:
        ConfigError: a broken metadata file, a duplicate id, a field mapped to an unknown
            quantity, a model without vectors or a decoder missing its functions; the message
            names the file.
    """
    if not directory.is_dir():
        raise ConfigError(f"catalog directory {directory} does not exist")
    models: dict[ModelId, DeviceModel] = {}
    limits = js_limits or JsLimits()
    for metadata in sorted(directory.rglob(METADATA_FILE)):
        model = _load_model(metadata, limits)
        if model.id in models:
            raise ConfigError(
                f"{metadata}: model id {model.id!r} is already defined in "
                f"{models[model.id].folder / METADATA_FILE}"
            )
        models[model.id] = model
    if not models:
        raise ConfigError(f"catalog directory {directory} holds no {METADATA_FILE}")
    return MappingProxyType(models)


def load_configured_catalog(settings: CatalogSettings) -> Catalog:
    """Load the catalog named in the settings, with the settings' JavaScript limits."""
    return load_catalog(
        settings.dir,
        JsLimits(settings.js_time_limit_ms / 1000, settings.js_memory_limit_mb * 1024 * 1024),
    )


def _load_model(metadata: Path, js_limits: JsLimits) -> DeviceModel:
    folder = metadata.parent
    spec = _read_spec(metadata)
    try:
        model_id = parse_model_id(spec.id)
    except ValueError as exc:
        raise ConfigError(f"{metadata}: {exc}") from exc
    decode, encode, sample = _codec_functions(spec, folder, js_limits)
    return DeviceModel(
        id=model_id,
        vendor=spec.vendor,
        name=spec.name,
        family=spec.family,
        codec=spec.codec,
        f_ports=tuple(spec.f_ports),
        source=spec.source,
        folder=folder,
        rules=tuple(_rules(spec, metadata)),
        calibration=Calibration(
            spec.calibration.empty_distance_m, spec.calibration.full_distance_m
        ),
        vectors=tuple(_read_vectors(folder / VECTORS_FILE).vectors),
        decode=decode,
        encode=encode,
        sample=sample,
    )


def _read_spec(metadata: Path) -> DeviceModelSpec:
    try:
        return DeviceModelSpec.model_validate(tomllib.loads(metadata.read_text("utf-8")))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{metadata}: not valid TOML: {exc}") from exc
    except ValidationError as exc:
        raise ConfigError(f"{metadata}: {_describe(exc)}") from exc


def _read_vectors(path: Path) -> VectorFileSpec:
    if not path.is_file():
        raise ConfigError(f"{path}: missing; every model needs test vectors")
    try:
        return VectorFileSpec.model_validate(yaml.safe_load(path.read_text("utf-8")))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    except ValidationError as exc:
        raise ConfigError(f"{path}: {_describe(exc)}") from exc


def _rules(spec: DeviceModelSpec, metadata: Path) -> Iterator[FieldRule]:
    for source, rule in spec.fields.items():
        quantity = QUANTITIES.get(rule.quantity)
        if quantity is None:
            raise ConfigError(
                f"{metadata}: field {source!r} maps to unknown quantity {rule.quantity!r}; "
                f"known: {', '.join(QUANTITIES)}"
            )
        yield FieldRule(source, quantity, rule.scale, rule.offset, dict(rule.values), rule.requires)


def _codec_functions(
    spec: DeviceModelSpec, folder: Path, js_limits: JsLimits
) -> tuple[VendorDecoder | None, VendorEncoder | None, Sampler | None]:
    match spec.codec:
        case "python":
            module = _import_decoder(folder / DECODER_FILE, spec.id)
            return module.decode, module.encode, module.sample
        case "cayenne_lpp" if spec.cayenne_lpp.extended:
            return (
                cayenne_lpp.decode_extended,
                cayenne_lpp.encode_extended,
                cayenne_lpp.sample_extended,
            )
        case "cayenne_lpp":
            return cayenne_lpp.decode, cayenne_lpp.encode, cayenne_lpp.sample
        case "js":
            path = folder / JS_CODEC_FILE
            if not path.is_file():
                raise ConfigError(f"{path}: missing; codec 'js' needs a codec.js")
            codec = JsCodec(path.read_text("utf-8"), str(path), js_limits)
            return codec.decode, None, None
        case "lns":
            return None, None, None


def _import_decoder(path: Path, model_id: str) -> ModuleType:
    if not path.is_file():
        raise ConfigError(f"{path}: missing; codec 'python' needs a decoder module")
    name = "lorahub_catalog." + model_id.replace("/", ".").replace("-", "_")
    module_spec = importlib.util.spec_from_file_location(name, path)
    if module_spec is None or module_spec.loader is None:
        raise ConfigError(f"{path}: cannot be imported")
    module = importlib.util.module_from_spec(module_spec)
    # registered like any imported module, so decorators that look it up (dataclass) work
    sys.modules[name] = module
    try:
        module_spec.loader.exec_module(module)
    except Exception as exc:  # a broken decoder file must name itself, whatever it raised
        raise ConfigError(f"{path}: failed to import: {exc!r}") from exc
    for function in ("decode", "encode", "sample"):
        if not callable(getattr(module, function, None)):
            raise ConfigError(f"{path}: must define a function {function}()")
    return module


def _describe(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in error['loc']) or '(root)'}: {error['msg']}"
        for error in exc.errors()
    )
