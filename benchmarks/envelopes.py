"""Time ``EnvelopeParser.parse`` on the reference uplink samples and print µs per message."""

from __future__ import annotations

import json
import statistics
import timeit
from pathlib import Path

from lorahub.envelopes import EnvelopeParser

LNS = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "lns"
SAMPLES = [
    "chirpstack-v4-up.json",
    "chirpstack-v4-up-multi-gateway.json",
    "chirpstack-v3-up.json",
    "chirpstack-v3-up-protobuf-json.json",
    "tts-v3-up.json",
    "tts-v3-up-multi-gateway.json",
]
RUNS = 7
NUMBER = 20_000


def micros_per_message(parser: EnvelopeParser, topic: str, payload: bytes) -> float:
    """Median over ``RUNS`` timeit runs of the time of one parse, in microseconds."""
    timer = timeit.Timer(lambda: parser.parse(topic, payload, 0))
    runs = timer.repeat(repeat=RUNS, number=NUMBER)
    return statistics.median(runs) / NUMBER * 1e6


def main() -> None:
    """Print one line per sample: file, size and µs per message (and messages per second)."""
    manifest = json.loads((LNS / "manifest.json").read_text())
    topics = {entry["file"]: entry["topic"] for entry in manifest["files"]}
    parser = EnvelopeParser()
    print(f"{'sample':40} {'bytes':>6} {'us/msg':>8} {'msg/s':>10}")
    for name in SAMPLES:
        # Compact JSON, as network servers publish it (the samples are pretty-printed).
        payload = json.dumps(json.loads((LNS / name).read_bytes()), separators=(",", ":")).encode()
        micros = micros_per_message(parser, topics[name], payload)
        print(f"{name:40} {len(payload):6d} {micros:8.2f} {1e6 / micros:10,.0f}")


if __name__ == "__main__":
    main()
