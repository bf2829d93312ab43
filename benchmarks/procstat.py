"""CPU time and memory of running processes, read from ``/proc`` (Linux), for the benchmarks."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

TICKS_PER_S = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds the process has used so far (its threads included)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS_PER_S


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set size in MB (``VmHWM``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class CpuMeter:
    """CPU seconds of named processes between :meth:`start` and :meth:`stop`."""

    pids: dict[str, int]
    used: dict[str, float] = field(default_factory=dict)
    _at_start: dict[str, float] = field(default_factory=dict)

    def start(self) -> None:
        """Note every process's CPU time now."""
        self._at_start = {name: cpu_seconds(pid) for name, pid in self.pids.items()}

    def stop(self) -> None:
        """Note the CPU each process used since :meth:`start`."""
        self.used = {
            name: cpu_seconds(pid) - self._at_start[name] for name, pid in self.pids.items()
        }

    def report(self, uplinks: int, elapsed_s: float) -> list[str]:
        """One line per process: CPU seconds, µs per uplink, and share of the whole machine."""
        cores = os.cpu_count() or 1
        lines = []
        for name, seconds in self.used.items():
            share = seconds / (elapsed_s * cores) * 100 if elapsed_s else 0.0
            lines.append(
                f"cpu {name:<12} {seconds:6.2f} s  {seconds / uplinks * 1e6:6.1f} µs/uplink  "
                f"{share:4.0f} % of {cores} cores"
            )
        total = sum(self.used.values())
        lines.append(
            f"cpu {'all':<12} {total:6.2f} s  {total / uplinks * 1e6:6.1f} µs/uplink  "
            f"{total / (elapsed_s * cores) * 100 if elapsed_s else 0.0:4.0f} % of {cores} cores"
        )
        return lines
