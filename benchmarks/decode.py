"""Per-uplink decode cost of every catalog model: native decoders and sandboxed JS codecs.

    python benchmarks/decode.py [--repeat 7] [--number 2000]

For each model, the first decodable vector is decoded NUMBER times, REPEAT times over; the median
µs per call is printed, for the decoder alone and with normalisation into canonical readings.
JavaScript codecs are timed with the test codecs in tests/fixtures/codecs (a fresh QuickJS
context per call, as in production).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import timeit
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the test codecs live in tests/, which is not installed

from lorahub.decoding.catalog import load_catalog  # noqa: E402
from lorahub.decoding.fieldmap import normalize  # noqa: E402
from lorahub.decoding.model import DeviceModel  # noqa: E402
from lorahub.errors import DecodeError  # noqa: E402
from tests.catalog_builder import build_test_catalog  # noqa: E402 - needs the path above


def _sample(model: DeviceModel) -> tuple[bytes, int] | None:
    for vector in model.vectors:
        if vector.vendor is None or model.decode is None:
            continue
        payload = bytes.fromhex(vector.bytes)
        try:
            model.decode(payload, vector.f_port)
        except DecodeError:
            continue
        return payload, vector.f_port
    return None


def _median_us(call: object, number: int, repeat: int) -> float:
    times = timeit.repeat(call, number=number, repeat=repeat)  # type: ignore[arg-type]
    return statistics.median(times) / number * 1e6


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--number", type=int, default=2000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        catalog = load_catalog(build_test_catalog(Path(tmp) / "decoders"))
        print(f"{'model':32} {'codec':12} {'decode µs':>10} {'+normalise µs':>14}")
        for model in catalog.values():
            figures = _time_model(model, args.number, args.repeat)
            if figures is not None:
                print(f"{model.id:32} {model.codec:12} {figures[0]:10.1f} {figures[1]:14.1f}")


def _time_model(model: DeviceModel, number: int, repeat: int) -> tuple[float, float] | None:
    sample = _sample(model)
    if sample is None or model.decode is None:
        return None
    payload, f_port = sample
    decode = model.decode
    if model.codec == "js":
        number = max(50, number // 20)
    alone = _median_us(lambda: decode(payload, f_port), number, repeat)
    full = _median_us(
        lambda: normalize(decode(payload, f_port), model.rules, model.calibration), number, repeat
    )
    return alone, full


if __name__ == "__main__":
    main()
