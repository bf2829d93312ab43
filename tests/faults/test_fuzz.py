"""Bad input through the per-message error boundary and every decoder (a small benchmarks/fuzz.py).

Nothing may escape as an unexpected exception (the ``internal`` reason), every rejection names
its reason and says what is wrong, and no case may take long (hypothesis' deadline).
"""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import structlog
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lorahub.decoding.catalog import Catalog, load_catalog
from lorahub.decoding.model import DeviceModel
from lorahub.envelopes import EnvelopeParser
from lorahub.errors import LorahubError, RejectReason
from lorahub.pipeline.dedup import DuplicateFilter
from lorahub.pipeline.directory import DeviceDirectory
from lorahub.pipeline.log_gate import RepeatGate
from lorahub.pipeline.process import BatchContent, MessageProcessor
from lorahub.simulation.fleet import Fleet
from lorahub.simulation.village import demo_devices
from tests.conftest import CATALOG_DIR

CATALOG: Catalog = load_catalog(CATALOG_DIR)
_FLEET = Fleet(demo_devices(), CATALOG, seed=5)
_CLOCK = itertools.count(1_700_000_000_000_000_000, 1_000_000)
SEEDS = [
    message
    for lns in ("chirpstack-v4", "tts-v3")
    for message in itertools.islice(_FLEET.messages(lns, _CLOCK), 24)
]
DECODERS = [model for model in CATALOG.values() if model.decode is not None]
FUZZ = settings(
    max_examples=500, deadline=2000, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False)
    | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


@pytest.fixture(autouse=True)
def _quiet() -> Iterator[None]:
    """Rejections log warnings; thousands of them only slow the test down."""
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.CRITICAL))
    yield
    structlog.reset_defaults()


def _processor() -> MessageProcessor:
    devices = {device.dev_eui: device for device in demo_devices()}
    return MessageProcessor(
        EnvelopeParser(), DeviceDirectory(devices), CATALOG, DuplicateFilter(0, 0), RepeatGate(60)
    )


def _check(topic: str, body: bytes) -> None:
    content = BatchContent()
    _processor().process(topic, body, 1_700_000_000_000_000_000, content)
    for letter in content.dead_letters:
        assert letter.reason is not RejectReason.INTERNAL, letter.error
        assert letter.error


def _replace(value: Any, path: list[int], new: Any) -> Any:
    """``value`` with the node chosen by ``path`` (indices into keys/items) set to ``new``."""
    if not path or not isinstance(value, dict | list) or not value:
        return new
    keys = list(value) if isinstance(value, dict) else list(range(len(value)))
    key = keys[path[0] % len(keys)]
    value[key] = _replace(value[key], path[1:], new)
    return value


@FUZZ
@given(st.sampled_from(SEEDS), st.binary(max_size=2048))
def test_random_bytes_on_every_topic(seed: tuple[str, bytes], body: bytes) -> None:
    _check(seed[0], body)


@FUZZ
@given(st.sampled_from(SEEDS), st.integers(min_value=0))
def test_truncated_messages(seed: tuple[str, bytes], cut: int) -> None:
    _check(seed[0], seed[1][: cut % (len(seed[1]) + 1)])


@FUZZ
@given(st.sampled_from(SEEDS), st.lists(st.integers(0, 64), max_size=6), json_values)
def test_values_of_the_wrong_type(seed: tuple[str, bytes], path: list[int], new: Any) -> None:
    _check(seed[0], json.dumps(_replace(json.loads(seed[1]), path, new)).encode())


@pytest.mark.parametrize("depth", [100, 10_000, 200_000])
def test_deeply_nested_json(depth: int) -> None:
    for topic, _ in SEEDS[:1] + SEEDS[-1:]:
        _check(topic, b"[" * depth + b"]" * depth)
        _check(topic, b'{"a":' * depth + b"1" + b"}" * depth)


def test_one_megabyte_messages() -> None:
    for topic, body in SEEDS[:1] + SEEDS[-1:]:
        _check(topic, b'{"pad":"' + b"x" * (1 << 20) + b'",' + body[1:])
        _check(topic, bytes(range(256)) * 4096)


@FUZZ
@given(st.sampled_from(DECODERS), st.binary(max_size=300), st.integers(0, 255))
def test_every_decoder_rejects_bad_payloads_with_a_reason(
    model: DeviceModel, payload: bytes, f_port: int
) -> None:
    assert model.decode is not None
    try:
        model.decode(payload, f_port)
    except LorahubError as exc:
        message = exc.message
    else:
        message = "accepted"
    assert message
