"""Holds each rule's state per device and applies the pure evaluation to observations and ticks.

No I/O: the alert service persists what ``take_round`` returns (states and transitions in
one transaction) before anyone is told.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from lorahub.alerts.context import AlertContext
from lorahub.alerts.evaluate import (
    OK,
    Observation,
    RuleState,
    Step,
    Transition,
    on_observation,
    on_removed,
    on_tick,
)
from lorahub.alerts.rules import OfflineRule, Rule
from lorahub.domain.device import Device
from lorahub.domain.ids import DevEui

StateKey = tuple[str, str, str]
"""(tenant, rule id, DevEUI)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """A transition of one rule for one device."""

    key: StateKey
    rule: Rule | None
    """None when the rule no longer exists (its firing alert resolves)."""
    device: Device | None
    """None when the device is no longer registered."""
    transition: Transition


@dataclass(slots=True)
class Round:
    """What one evaluation round changed: states to store and transitions to act on."""

    states: dict[StateKey, RuleState] = field(default_factory=dict)
    outcomes: list[Outcome] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.states or self.outcomes)

    def absorb(self, later: Round) -> None:
        """Append a later round (its states win)."""
        self.states.update(later.states)
        self.outcomes.extend(later.outcomes)


class AlertEvaluator:
    """Every non-``ok`` rule state, keyed by tenant, rule and device."""

    def __init__(self, states: Mapping[StateKey, RuleState] | None = None) -> None:
        self._states: dict[StateKey, RuleState] = dict(states or {})
        self._round = Round()

    def state(self, key: StateKey) -> RuleState:
        """The state of one rule for one device (``ok`` when none is held)."""
        return self._states.get(key, OK)

    def observe(self, context: AlertContext, device: Device, seen: Observation) -> None:
        """Evaluate every rule that applies to ``device`` against what it just reported."""
        for rule in context.rules_for(device):
            key = (device.tenant, rule.id, device.dev_eui)
            self._apply(key, rule, device, on_observation(rule, self.state(key), seen))

    def tick(
        self,
        context: AlertContext,
        devices: Iterable[Device],
        last_seen: Mapping[DevEui, int],
        now_ns: int,
    ) -> None:
        """Evaluate the time-based rules at ``now_ns``: offline, hold times, active hours.

        Also resolves states whose rule or device no longer exists.
        """
        known = {device.dev_eui: device for device in devices}
        for device in known.values():
            self._offline(context, device, last_seen.get(device.dev_eui), now_ns)
        for key, state in list(self._states.items()):
            self._timed(context, key, state, known, now_ns)

    def _offline(
        self, context: AlertContext, device: Device, last_seen_ns: int | None, now_ns: int
    ) -> None:
        for rule in context.rules_for(device):
            if isinstance(rule, OfflineRule):
                key = (device.tenant, rule.id, device.dev_eui)
                limit = rule.silence_limit_s(device)
                step = on_tick(rule, self.state(key), now_ns, limit, last_seen_ns)
                self._apply(key, rule, device, step)

    def _timed(
        self,
        context: AlertContext,
        key: StateKey,
        state: RuleState,
        known: Mapping[DevEui, Device],
        now_ns: int,
    ) -> None:
        """Hold times and active hours of a held state; resolve it when its rule or device went."""
        tenant, rule_id, dev_eui = key
        rule = context.rule(tenant, rule_id)
        device = known.get(DevEui(dev_eui))
        if rule is not None and device is not None and _in_scope(context, rule, device):
            if not isinstance(rule, OfflineRule):
                self._apply(key, rule, device, on_tick(rule, state, now_ns))
            return
        self._apply(key, rule, device, on_removed(state, now_ns))

    def take_round(self) -> Round:
        """What changed since the last call (to persist, then act on)."""
        taken, self._round = self._round, Round()
        return taken

    def _apply(self, key: StateKey, rule: Rule | None, device: Device | None, step: Step) -> None:
        new, transitions = step
        if new != self.state(key):
            if new.phase == "ok":
                self._states.pop(key, None)
            else:
                self._states[key] = new
            self._round.states[key] = new
        for transition in transitions:
            self._round.outcomes.append(Outcome(key, rule, device, transition))


def _in_scope(context: AlertContext, rule: Rule, device: Device) -> bool:
    return rule.applies_to(device, context.lineage.get(device.site, (device.site,)))
