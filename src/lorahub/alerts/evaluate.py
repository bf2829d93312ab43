"""Pure, deterministic rule evaluation: (state, observation, now) → (state, transitions).

One ``RuleState`` per rule and device. Threshold-like rules move ``ok`` → ``pending`` (the
condition holds, the hold time runs) → ``firing`` → ``ok`` (the value is back past the clear
level: hysteresis). Offline rules fire on a tick when the silence is too long and resolve on
the next uplink. Nothing here reads a clock or does I/O; the engine persists the states.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from lorahub.alerts.rules import (
    BatteryLowRule,
    ImplausibleRule,
    OfflineRule,
    Rule,
    RuleBase,
    ThresholdRule,
)
from lorahub.decoding.fieldmap import Readings

NS = 1_000_000_000

Phase = Literal["ok", "pending", "firing"]
ResolveReason = Literal["cleared", "back_online", "inactive", "rule_removed"]


@dataclass(frozen=True, slots=True)
class RuleState:
    """Where one rule stands for one device.

    ``since_ns``: when the condition began (pending) or when the alert fired (firing).
    ``value``/``quantity``: the last value that mattered, for messages and resolution.
    """

    phase: Phase = "ok"
    since_ns: int | None = None
    value: float | None = None
    quantity: str | None = None


OK = RuleState()


@dataclass(frozen=True, slots=True)
class Fire:
    """The rule starts firing for the device."""

    at_ns: int
    value: float | None
    threshold: float | None
    quantity: str | None


@dataclass(frozen=True, slots=True)
class Resolve:
    """The rule stops firing for the device."""

    at_ns: int
    value: float | None
    reason: ResolveReason


Transition = Fire | Resolve
Step = tuple[RuleState, list[Transition]]


@dataclass(frozen=True, slots=True)
class Observation:
    """What one uplink told about a device: its time, readings and impossible values."""

    at_ns: int
    readings: Readings
    implausible: Readings


def on_observation(rule: Rule, state: RuleState, seen: Observation) -> Step:
    """Evaluate ``rule`` for a device that just reported ``seen``."""
    if isinstance(rule, OfflineRule):
        if state.phase == "firing":
            return OK, [Resolve(seen.at_ns, None, "back_online")]
        return state, []
    if not rule.active_at(seen.at_ns):
        return _inactive(state, seen.at_ns)
    if isinstance(rule, ImplausibleRule):
        return _implausible(state, seen)
    measured = _measured(rule, seen.readings)
    if measured is None:
        return state, []
    threshold, value = measured
    return _threshold(threshold, state, value, seen.at_ns)


def on_tick(
    rule: Rule,
    state: RuleState,
    now_ns: int,
    silence_limit_s: float | None = None,
    last_seen_ns: int | None = None,
) -> Step:
    """Evaluate the time-based part of ``rule`` at ``now_ns``.

    A pending hold time that has run out fires (the last value still holds the condition);
    outside the active hours pending and firing states end; an offline rule fires when the
    device (last seen at ``last_seen_ns``) has been silent longer than ``silence_limit_s``.
    """
    if state.phase != "ok" and not rule.active_at(now_ns):
        return _inactive(state, now_ns)
    if isinstance(rule, OfflineRule):
        return _offline(rule, state, now_ns, silence_limit_s, last_seen_ns)
    if (
        isinstance(rule, ThresholdRule)
        and state.phase == "pending"
        and state.since_ns is not None
        and now_ns - state.since_ns >= rule.hold_s * NS
    ):
        return _fire(state, now_ns, rule.level, rule.quantity)
    return state, []


def on_removed(state: RuleState, now_ns: int) -> Step:
    """The rule was deleted or disabled: a firing alert of it resolves."""
    if state.phase == "firing":
        return OK, [Resolve(now_ns, state.value, "rule_removed")]
    return OK, []


def _threshold(rule: ThresholdRule, state: RuleState, value: float, at_ns: int) -> Step:
    if state.phase == "firing":
        if rule.cleared(value):
            return OK, [Resolve(at_ns, value, "cleared")]
        return replace(state, value=value), []
    if not rule.violated(value):
        return OK, []
    since = state.since_ns if state.phase == "pending" and state.since_ns is not None else at_ns
    pending = RuleState("pending", since, value, rule.quantity)
    if at_ns - since >= rule.hold_s * NS:
        return _fire(pending, at_ns, rule.level, rule.quantity)
    return pending, []


def _implausible(state: RuleState, seen: Observation) -> Step:
    if seen.implausible:
        quantity, value = min(seen.implausible.items())
        if state.phase == "firing":
            return replace(state, value=float(value), quantity=quantity), []
        return _fire(
            RuleState("pending", seen.at_ns, float(value), quantity), seen.at_ns, None, quantity
        )
    broken = state.quantity
    if state.phase == "firing" and broken is not None and broken in seen.readings:
        return OK, [Resolve(seen.at_ns, float(seen.readings[broken]), "cleared")]
    return state, []


def _offline(
    rule: OfflineRule,
    state: RuleState,
    now_ns: int,
    silence_limit_s: float | None,
    last_seen_ns: int | None,
) -> Step:
    if state.phase == "firing" or silence_limit_s is None or last_seen_ns is None:
        return state, []
    if now_ns - last_seen_ns > silence_limit_s * NS:
        return _fire(RuleState(quantity=None), now_ns, silence_limit_s, None)
    return state, []


def _fire(state: RuleState, at_ns: int, threshold: float | None, quantity: str | None) -> Step:
    firing = RuleState("firing", at_ns, state.value, quantity)
    return firing, [Fire(at_ns, state.value, threshold, quantity)]


def _inactive(state: RuleState, at_ns: int) -> Step:
    if state.phase == "firing":
        return OK, [Resolve(at_ns, state.value, "inactive")]
    return OK, []


def _measured(rule: RuleBase, readings: Readings) -> tuple[ThresholdRule, float] | None:
    """The threshold to apply and the value it applies to, or None when the uplink lacks it."""
    if isinstance(rule, ThresholdRule):
        value = readings.get(rule.quantity)
        return None if value is None else (rule, float(value))
    if isinstance(rule, BatteryLowRule):
        return battery_threshold(rule, readings)
    return None


def battery_threshold(
    rule: BatteryLowRule, readings: Readings
) -> tuple[ThresholdRule, float] | None:
    """A battery rule as a threshold on ``battery`` (%), or on ``battery_voltage`` when set."""
    percent = readings.get("battery")
    if percent is not None:
        return _battery_as_threshold(rule, volts=False), float(percent)
    volts = readings.get("battery_voltage")
    if volts is not None and rule.below_volts is not None:
        return _battery_as_threshold(rule, volts=True), float(volts)
    return None


@lru_cache(maxsize=1024)
def _battery_as_threshold(rule: BatteryLowRule, volts: bool) -> ThresholdRule:
    """The threshold a battery rule means (validated once per rule, not per reading)."""
    if volts:
        return ThresholdRule(
            id=rule.id,
            name=rule.name,
            quantity="battery_voltage",
            below=rule.below_volts,
            clear=rule.clear_volts or rule.below_volts,
        )
    return ThresholdRule(
        id=rule.id, name=rule.name, quantity="battery", below=rule.below, clear=rule.clear
    )
