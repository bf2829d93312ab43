"""Fuzz every envelope parser and every catalog decoder with bad input at volume.

    python benchmarks/fuzz.py [--cases 100000] [--seed 1]

Messages (ChirpStack v4, ChirpStack v3, The Things Stack v3; seeds from the simulator and the
reference samples in ../shared/reference/lns) are mutated: random bytes, truncations, flipped
bytes, JSON values replaced by values of other types, deeply nested JSON, 1 MB messages. Each
goes through ``MessageProcessor.process`` (the per-message error boundary, with a registry that
knows the simulated devices, so valid-looking uplinks reach the decoders). Every decoder of the
catalog (the JavaScript test codecs included) gets random, truncated, oversized and 1 MB
payloads on random fPorts directly. The script fails when anything escapes as an unexpected
exception (``internal``), a rejection has no reason or message, or one case takes longer than
``--max-case-s``; it prints counts per outcome, the total, and cases per second.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import structlog

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the test codecs live in tests/, which is not installed

from lorahub.decoding.catalog import Catalog, load_catalog  # noqa: E402
from lorahub.decoding.model import DeviceModel  # noqa: E402
from lorahub.envelopes import EnvelopeParser  # noqa: E402
from lorahub.errors import LorahubError  # noqa: E402
from lorahub.pipeline.dedup import DuplicateFilter  # noqa: E402
from lorahub.pipeline.directory import DeviceDirectory  # noqa: E402
from lorahub.pipeline.log_gate import RepeatGate  # noqa: E402
from lorahub.pipeline.process import BatchContent, MessageProcessor  # noqa: E402
from lorahub.simulation.envelopes import LnsFormat  # noqa: E402
from lorahub.simulation.fleet import Fleet  # noqa: E402
from lorahub.simulation.village import demo_devices  # noqa: E402
from tests.catalog_builder import build_test_catalog  # noqa: E402 - needs the path above

REFERENCE = REPO.parent / "shared" / "reference" / "lns"
MEGABYTE = 1 << 20
Message = tuple[str, bytes]


def seeds(catalog: Catalog) -> list[Message]:
    """Valid messages of every dialect: simulated uplinks and the reference samples."""
    fleet = Fleet(demo_devices(), catalog, seed=3)
    clock = itertools.count(1_700_000_000_000_000_000, 1_000_000)
    formats: tuple[LnsFormat, ...] = ("chirpstack-v4", "tts-v3")
    out = [m for lns in formats for m in itertools.islice(fleet.messages(lns, clock), 60)]
    if (REFERENCE / "manifest.json").exists():
        for entry in json.loads((REFERENCE / "manifest.json").read_text())["files"]:
            if entry["topic"].startswith(("application/", "v3/")):
                out.append((entry["topic"], (REFERENCE / entry["file"]).read_bytes()))
    return out


def _other_value(rng: random.Random) -> Any:  # noqa: ANN401 - any JSON value is the point
    return rng.choice(
        [
            None,
            True,
            -1,
            2**70,
            1e308,
            "",
            "zz",
            "ÿ" * 50,
            [],
            [1, "a"],
            {},
            {"a": {"b": []}},
            rng.randbytes(8).hex(),
            -0.0,
            "2026-13-45T99:99:99Z",
            "AQID",
            "8" * 400,
        ]
    )


def _retype(value: Any, rng: random.Random, depth: int = 0) -> Any:  # noqa: ANN401
    """``value`` with some of its leaves or containers replaced by values of other types."""
    if rng.random() < 0.15 or depth > 12:
        return _other_value(rng)
    if isinstance(value, dict):
        return {k: _retype(v, rng, depth + 1) for k, v in value.items() if rng.random() > 0.05}
    if isinstance(value, list):
        return [_retype(v, rng, depth + 1) for v in value]
    return value


def _nested(rng: random.Random) -> bytes:
    depth = rng.choice([50, 500, 5000, 100_000])
    opener, closer = rng.choice([(b"[", b"]"), (b'{"a":', b"}")])
    body = opener * depth + b"1" + closer * depth
    return body if rng.random() < 0.7 else body[: rng.randrange(len(body))]


def _huge(body: bytes, rng: random.Random) -> bytes:
    """A 1 MB message: a giant string or array inside a real one, or plain filler."""
    kind = rng.randrange(3)
    if kind == 0 and body.startswith(b"{"):
        return b'{"pad":"' + b"x" * MEGABYTE + b'",' + body[1:]
    if kind == 1:
        return b'{"data":[' + b"1," * (MEGABYTE // 2) + b"1]}"
    return rng.randbytes(MEGABYTE)


def mutate(message: Message, rng: random.Random) -> tuple[str, Message]:
    """One bad variant of ``message`` and the name of the mutation."""
    topic, body = message
    kind = rng.choices(
        ["bytes", "truncate", "flip", "retype", "nested", "huge", "topic"],
        weights=[10, 20, 20, 40, 4, 0.3, 6],
    )[0]
    if kind == "bytes":
        return kind, (topic, rng.randbytes(rng.randrange(0, 2048)))
    if kind == "truncate":
        return kind, (topic, body[: rng.randrange(len(body) + 1)])
    if kind == "flip":
        data = bytearray(body)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return kind, (topic, bytes(data))
    if kind == "retype":
        return kind, (topic, json.dumps(_retype(json.loads(body), rng)).encode())
    if kind == "nested":
        return kind, (topic, _nested(rng))
    if kind == "huge":
        return kind, (topic, _huge(body, rng))
    parts = topic.split("/")
    parts[rng.randrange(len(parts))] = rng.choice(["", "x" * 300, "+", "#", "ü", "0" * 16])
    return kind, ("/".join(parts), body)


class Tally:
    """Counts outcomes and keeps the slowest case; raises on a crash."""

    def __init__(self, max_case_s: float) -> None:
        self.outcomes: Counter[str] = Counter()
        self.max_case_s = max_case_s
        self.slowest = 0.0

    def timed(self, label: str, call: Callable[[], str]) -> None:
        """Run one case and count its outcome."""
        started = time.perf_counter()
        outcome = call()
        took = time.perf_counter() - started
        self.slowest = max(self.slowest, took)
        if took > self.max_case_s:
            raise AssertionError(f"{label}: one case took {took:.2f} s")
        self.outcomes[outcome] += 1


def fuzz_envelopes(
    processor: MessageProcessor,
    messages: list[Message],
    count: int,
    rng: random.Random,
    tally: Tally,
) -> None:
    """``count`` mutated messages through the per-message error boundary."""
    for _ in range(count):
        kind, (topic, body) = mutate(rng.choice(messages), rng)

        def one(topic: str = topic, body: bytes = body, kind: str = kind) -> str:
            content = BatchContent()
            processor.process(topic, body, time.time_ns(), content)
            for letter in content.dead_letters:
                if not letter.error or not letter.reason:
                    raise AssertionError(f"rejection without a reason ({kind}): {letter}")
                if letter.reason.value == "internal":
                    raise AssertionError(f"crash on a {kind} message: {letter.error}")
            if content.dead_letters:
                return f"envelope rejected: {content.dead_letters[0].reason.value}"
            return "envelope accepted"

        tally.timed(f"{kind} message on {topic[:80]}", one)


def fuzz_decoders(catalog: Catalog, count: int, rng: random.Random, tally: Tally) -> None:
    """``count`` bad payloads split over every model that has a decoder."""
    models = [model for model in catalog.values() if model.decode is not None]
    for index in range(count):
        model = models[index % len(models)]
        vectors = [bytes.fromhex(v.bytes) for v in model.vectors] or [b"\x01\x02"]
        sample = rng.choice(vectors)
        payload = (
            rng.choice(
                [
                    rng.randbytes(rng.randrange(0, 64)),
                    sample[: rng.randrange(len(sample) + 1)],
                    sample + rng.randbytes(rng.randrange(1, 300)),
                    bytes(rng.randrange(256) for _ in sample),
                ]
            )
            if rng.random() > 0.001
            else rng.randbytes(MEGABYTE)
        )
        f_port = rng.choice([*model.f_ports, 0, 1, 223, 255, rng.randrange(256)])

        tally.timed(f"{model.id} decoder", partial(_decode_case, model, payload, f_port))


def _decode_case(model: DeviceModel, payload: bytes, f_port: int) -> str:
    assert model.decode is not None
    try:
        model.decode(payload, f_port)
    except LorahubError as exc:
        if not exc.message:
            raise AssertionError(f"{model.id}: rejection without a message") from exc
        return f"decoder rejected: {exc.reason.value}"
    except Exception as exc:
        raise AssertionError(
            f"{model.id} crashed on fPort {f_port} {payload[:64].hex()}: {exc!r}"
        ) from exc
    return "decoder accepted"


def main() -> None:
    """Run the fuzz and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-case-s", type=float, default=5.0)
    args = parser.parse_args()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.CRITICAL))
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        catalog = load_catalog(build_test_catalog(Path(tmp) / "decoders"))
    devices = demo_devices()
    processor = MessageProcessor(
        EnvelopeParser(),
        DeviceDirectory({device.dev_eui: device for device in devices}),
        catalog,
        DuplicateFilter(0, 0),
        RepeatGate(3600),
    )
    messages = seeds(catalog)
    tally = Tally(args.max_case_s)
    started = time.perf_counter()
    envelope_cases = args.cases * 6 // 10
    fuzz_envelopes(processor, messages, envelope_cases, rng, tally)
    fuzz_decoders(catalog, args.cases - envelope_cases, rng, tally)
    elapsed = time.perf_counter() - started
    models = sum(1 for model in catalog.values() if model.decode is not None)
    print(f"seeds: {len(messages)} messages, decoders: {models} models")
    for outcome, count in sorted(tally.outcomes.items()):
        print(f"{outcome:40} {count:>9,}")
    total = sum(tally.outcomes.values())
    print(f"{'total':40} {total:>9,}  in {elapsed:.1f} s, {total / elapsed:,.0f} cases/s")
    print(
        f"slowest case {tally.slowest * 1000:.1f} ms; no crash, no hang, every rejection explained"
    )


if __name__ == "__main__":
    main()
