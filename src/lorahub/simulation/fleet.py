"""Virtual devices: each registered device produces payloads in its model's real format."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from lorahub.decoding.catalog import Catalog
from lorahub.decoding.model import DeviceModel
from lorahub.domain.device import Calibration, Device
from lorahub.domain.ids import ModelId, parse_dev_eui
from lorahub.simulation.envelopes import LnsFormat, RadioSample, uplink_message

EU868_FREQUENCIES = (868_100_000, 868_300_000, 868_500_000, 867_100_000, 867_300_000)


@dataclass(slots=True)
class VirtualDevice:
    """A registered device with its frame counter and the model that encodes its payloads."""

    device: Device
    model: DeviceModel
    f_cnt: int = 0


class Fleet:
    """The simulated devices, cycled round-robin, each uplink with fresh realistic values."""

    def __init__(
        self, devices: Sequence[Device], catalog: Catalog, seed: int | None = None
    ) -> None:
        self._rng = random.Random(seed)  # noqa: S311 - simulation, not cryptography
        self.members = [
            VirtualDevice(device, catalog[device.model], self._rng.randrange(0, 5000))
            for device in devices
            if device.model in catalog and _can_encode(catalog[device.model])
        ]
        if not self.members:
            raise ValueError("no registered device has a model the simulator can encode")

    def messages(self, lns: LnsFormat, clock_ns: Iterator[int]) -> Iterator[tuple[str, bytes]]:
        """Endless (topic, body) pairs, one device after another."""
        while True:
            for member in self.members:
                yield self.message(member, lns, next(clock_ns))

    def message(self, member: VirtualDevice, lns: LnsFormat, time_ns: int) -> tuple[str, bytes]:
        """One uplink of ``member`` at ``time_ns``."""
        model = member.model
        if model.sample is None or model.encode is None:  # filtered out in __init__
            raise ValueError(f"model {model.id} cannot be simulated")
        f_port, fields = model.sample(self._rng)
        payload = model.encode(fields, f_port)
        member.f_cnt += 1
        radio = RadioSample(
            rssi=self._rng.randint(-120, -60),
            snr=round(self._rng.uniform(-12.0, 10.0), 1),
            frequency=self._rng.choice(EU868_FREQUENCIES),
            spreading_factor=self._rng.choice((7, 7, 7, 8, 9, 10, 12)),
        )
        return uplink_message(lns, member.device, f_port, member.f_cnt, payload, time_ns, radio)


def _can_encode(model: DeviceModel) -> bool:
    return model.sample is not None and model.encode is not None


def synthetic_devices(count: int, catalog: Catalog, tenants: int = 3) -> list[Device]:
    """``count`` devices of every model the simulator can encode, over a few tenants and sites.

    For benchmarks: DevEUIs ``b000…``, 50 sites per tenant, range sensors calibrated.
    """
    models = sorted(model_id for model_id, model in catalog.items() if _can_encode(model))
    return [
        Device(
            dev_eui=parse_dev_eui(f"{0xB0000000_00000000 + i:016x}"),
            name=f"dev-{i:05d}",
            model=ModelId(models[i % len(models)]),
            tenant=f"gemeinde-{i % tenants}",
            site=f"gemeinde-{i % tenants}-site-{i % 50:02d}",
            calibration=Calibration(1.2, 0.1),
        )
        for i in range(count)
    ]
