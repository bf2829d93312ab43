"""Alert evaluation cost: per observation and per tick, for a region's worth of devices.

    python benchmarks/alerts.py --devices 10000

Evaluates in memory (the pure evaluator over a context with a tenant's rules plus the built-in
liveness rules); prints median µs per observed device and ms per tick over all devices.
"""

from __future__ import annotations

import argparse
import statistics
import time

from lorahub.alerts.context import AlertContext
from lorahub.alerts.evaluate import Observation
from lorahub.alerts.evaluator import AlertEvaluator
from lorahub.alerts.rules import Rule, ThresholdRule, builtin_rules
from lorahub.domain.device import Device
from lorahub.domain.ids import DevEui, ModelId
from lorahub.domain.tenancy import Site, Tenant

S = 1_000_000_000


def _world(count: int) -> tuple[AlertContext, list[Device]]:
    tenants = [Tenant(f"gemeinde-{i}", f"Gemeinde {i}") for i in range(3)]
    sites = [
        Site(f"{t.id}-site-{j:02d}", t.id, f"Site {j}", "room") for t in tenants for j in range(50)
    ]
    own: dict[str, list[Rule]] = {
        t.id: [
            ThresholdRule(id="co2", name="CO2", quantity="co2", above=1400, clear=1200, hold_s=600),
            ThresholdRule(id="warm", name="Warm", quantity="temperature", above=28, clear=26),
        ]
        for t in tenants
    }
    context = AlertContext.build(tenants, sites, own, builtin_rules(3, 20))
    devices = [
        Device(
            DevEui(f"{0xB0000000_00000000 + i:016x}"),
            f"dev-{i}",
            ModelId("elsys/ers-co2"),
            f"gemeinde-{i % 3}",
            f"gemeinde-{i % 3}-site-{i % 50:02d}",
            expected_interval_s=600,
        )
        for i in range(count)
    ]
    return context, devices


def main() -> None:
    """Run and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    context, devices = _world(args.devices)
    evaluator = AlertEvaluator()
    now = time.time_ns()
    per_device, per_tick = [], []
    for round_ in range(args.rounds):
        started = time.perf_counter()
        for index, device in enumerate(devices):
            co2 = 1500 if (index + round_) % 10 == 0 else 800  # a tenth of the rooms stuffy
            readings = {"co2": co2, "temperature": 21.5, "battery": 80.0}
            evaluator.observe(context, device, Observation(now + round_ * 600 * S, readings, {}))
        per_device.append((time.perf_counter() - started) / len(devices) * 1e6)
        evaluator.take_round()
        last_seen = {device.dev_eui: now for device in devices}
        started = time.perf_counter()
        evaluator.tick(context, devices, last_seen, now + round_ * 600 * S)
        per_tick.append((time.perf_counter() - started) * 1e3)
        evaluator.take_round()
    print(f"{args.devices} devices, 5 rules each (2 thresholds + 3 built-in), {args.rounds} rounds")
    print(f"observation     {statistics.median(per_device):.1f} µs per device (median)")
    print(f"tick            {statistics.median(per_tick):.0f} ms over all devices (median)")


if __name__ == "__main__":
    main()
