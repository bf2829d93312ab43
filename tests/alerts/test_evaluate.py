"""Pure rule evaluation: hysteresis, hold time, active hours, offline, battery, implausible."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from lorahub.alerts.evaluate import (
    OK,
    Fire,
    Observation,
    Resolve,
    RuleState,
    Transition,
    on_observation,
    on_removed,
    on_tick,
)
from lorahub.alerts.rules import (
    ActiveHours,
    BatteryLowRule,
    ImplausibleRule,
    OfflineRule,
    Rule,
    ThresholdRule,
)

S = 1_000_000_000
T0 = int(datetime(2026, 11, 23, 10, 0, tzinfo=UTC).timestamp()) * S  # a Monday, 11:00 in Berlin

CO2 = ThresholdRule(id="co2", name="CO2", quantity="co2", above=1400, clear=1200)


def run(rule: Rule, values: Sequence[tuple[int, float]], quantity: str = "co2") -> list[Transition]:
    """Feed (seconds after T0, value) observations; return every transition."""
    state, seen = OK, []
    for offset, value in values:
        state, transitions = on_observation(
            rule, state, Observation(T0 + offset * S, {quantity: value}, {})
        )
        seen.extend(transitions)
    return seen


def kinds(transitions: list[Transition]) -> list[str]:
    return [type(item).__name__ for item in transitions]


def test_hysteresis_fires_once_and_clears_only_below_the_clear_level() -> None:
    transitions = run(CO2, [(0, 900), (60, 1500), (120, 1600), (180, 1300), (240, 1150)])
    assert transitions == [
        Fire(T0 + 60 * S, 1500, 1400, "co2"),
        Resolve(T0 + 240 * S, 1150, "cleared"),
    ]


def test_flapping_around_the_level_does_not_storm() -> None:
    values = [(i * 60, 1450 if i % 2 else 1350) for i in range(20)]
    assert kinds(run(CO2, values)) == ["Fire"]


def test_below_rule_with_hysteresis_upwards() -> None:
    cold = ThresholdRule(id="cold", name="Cold", quantity="temperature", below=2.0, clear=4.0)
    transitions = run(cold, [(0, 5), (60, 1.5), (120, 3.0), (180, 4.5)], "temperature")
    assert kinds(transitions) == ["Fire", "Resolve"]
    assert transitions[1].at_ns == T0 + 180 * S


def test_hold_time_needs_the_condition_to_last() -> None:
    held = CO2.model_copy(update={"hold_s": 600})
    # a short excursion resets the hold time
    assert run(held, [(0, 1500), (300, 1300), (600, 1500), (900, 1500)]) == []
    transitions = run(held, [(0, 1500), (300, 1550), (600, 1600)])
    assert transitions == [Fire(T0 + 600 * S, 1600, 1400, "co2")]


def test_tick_fires_a_pending_hold_time_without_new_readings() -> None:
    held = CO2.model_copy(update={"hold_s": 600})
    state, _ = on_observation(held, OK, Observation(T0, {"co2": 1500}, {}))
    assert state.phase == "pending"
    assert on_tick(held, state, T0 + 599 * S) == (state, [])
    state, transitions = on_tick(held, state, T0 + 600 * S)
    assert state.phase == "firing"
    assert transitions == [Fire(T0 + 600 * S, 1500, 1400, "co2")]


def test_active_hours_only_fire_inside_them_and_resolve_at_their_end() -> None:
    office = ActiveHours(days=("mon", "tue", "wed", "thu", "fri"), start="08:00", end="18:00")
    rule = CO2.model_copy(update={"active_hours": office})
    evening = 8 * 3600  # 19:00 in Berlin
    assert run(rule, [(evening, 1500)]) == []
    state, transitions = on_observation(rule, OK, Observation(T0, {"co2": 1500}, {}))
    assert kinds(transitions) == ["Fire"]
    state, transitions = on_tick(rule, state, T0 + evening * S)
    assert state == OK
    assert transitions == [Resolve(T0 + evening * S, 1500, "inactive")]


@pytest.mark.parametrize(
    ("local", "active"),
    [
        ("2026-11-23T21:59", False),  # Monday before the window
        ("2026-11-23T23:00", True),  # Monday night
        ("2026-11-24T05:00", True),  # early Tuesday, still Monday's window
        ("2026-11-24T06:01", False),
        ("2026-11-22T23:00", False),  # Sunday night is not listed
        ("2026-11-23T05:00", False),  # early Monday belongs to Sunday's window
    ],
)
def test_overnight_active_hours(local: str, active: bool) -> None:
    from zoneinfo import ZoneInfo

    hours = ActiveHours(days=("mon",), start="22:00", end="06:00")
    at = datetime.fromisoformat(local).replace(tzinfo=ZoneInfo("Europe/Berlin"))
    assert hours.active_at(int(at.timestamp()) * S) is active


def test_offline_after_k_intervals_and_back_online() -> None:
    rule = OfflineRule(id="offline", name="Offline", factor=3)
    limit = 3 * 600.0
    state, transitions = on_tick(rule, OK, T0 + 1800 * S, limit, T0)
    assert (state, transitions) == (OK, [])
    state, transitions = on_tick(rule, OK, T0 + 1801 * S, limit, T0)
    assert transitions == [Fire(T0 + 1801 * S, None, limit, None)]
    again, more = on_tick(rule, state, T0 + 3600 * S, limit, T0)
    assert (again, more) == (state, [])  # one alert while it lasts
    state, transitions = on_observation(rule, state, Observation(T0 + 4000 * S, {}, {}))
    assert state == OK
    assert transitions == [Resolve(T0 + 4000 * S, None, "back_online")]


def test_offline_needs_an_interval_or_a_fixed_silence() -> None:
    rule = OfflineRule(id="offline", name="Offline")
    assert on_tick(rule, OK, T0 + 10**6 * S, None, T0) == (OK, [])
    assert on_tick(rule, OK, T0 + 10**6 * S, 600, None) == (OK, [])


def test_battery_low_in_percent_with_hysteresis_and_in_volts() -> None:
    rule = BatteryLowRule(id="battery-low", name="Battery", below=20, clear=30)
    transitions = run(rule, [(0, 50), (60, 19), (120, 25), (180, 31)], "battery")
    assert kinds(transitions) == ["Fire", "Resolve"]
    volts = BatteryLowRule(id="b", name="B", below_volts=2.6, clear_volts=2.8)
    transitions = run(volts, [(0, 3.0), (60, 2.5), (120, 2.7), (180, 2.9)], "battery_voltage")
    assert kinds(transitions) == ["Fire", "Resolve"]
    assert run(rule, [(0, 2.5)], "battery_voltage") == []  # no volt levels set


def test_implausible_fires_on_an_impossible_value_and_clears_on_a_good_one() -> None:
    rule = ImplausibleRule(id="implausible", name="Implausible")
    state, transitions = on_observation(
        rule, OK, Observation(T0, {"relative_humidity": 50}, {"temperature": 327.67})
    )
    assert transitions == [Fire(T0, 327.67, None, "temperature")]
    state, transitions = on_observation(rule, state, Observation(T0 + S, {"co2": 500}, {}))
    assert transitions == []  # no temperature yet: the probe is still not known good
    state, transitions = on_observation(
        rule, state, Observation(T0 + 2 * S, {"temperature": 21}, {})
    )
    assert transitions == [Resolve(T0 + 2 * S, 21, "cleared")]
    assert state == OK


def test_a_removed_rule_resolves_its_firing_alert() -> None:
    firing = RuleState("firing", T0, 1500, "co2")
    assert on_removed(firing, T0 + S) == (OK, [Resolve(T0 + S, 1500, "rule_removed")])
    assert on_removed(RuleState("pending", T0, 1500, "co2"), T0) == (OK, [])
