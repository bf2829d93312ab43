"""Rule validation, scopes and built-in liveness rules."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from lorahub.alerts.context import AlertContext
from lorahub.alerts.rules import (
    RULE_ADAPTER,
    OfflineRule,
    ThresholdRule,
    builtin_rules,
    effective_rules,
)
from lorahub.domain.device import Device
from lorahub.domain.ids import DevEui, ModelId
from lorahub.domain.tenancy import Site, Tenant

DEVICE = Device(
    dev_eui=DevEui("a84041000181c061"),
    name="CO2 Besprechung",
    model=ModelId("elsys/ers-co2"),
    tenant="ostdorf",
    site="ostdorf-meeting",
    tags=(("floor", "1"),),
)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"quantity": "co2"}, "exactly one of 'above' and 'below'"),
        ({"quantity": "co2", "above": 1, "below": 0}, "exactly one of 'above' and 'below'"),
        ({"quantity": "co2", "above": 1400, "clear": 1500}, "'clear' must not be above"),
        ({"quantity": "temperature", "below": 2, "clear": 1}, "'clear' must not be below"),
        ({"quantity": "carbon", "above": 1}, "unknown quantity 'carbon'"),
        ({"quantity": "co2", "above": 1, "hold_s": -1}, "greater than or equal to 0"),
        ({"quantity": "co2", "above": 1, "tag": "floor"}, "key=value"),
        ({"quantity": "co2", "above": 1, "device": "xyz"}, "invalid DevEUI"),
        ({"quantity": "co2", "above": 1, "colour": "red"}, "Extra inputs are not permitted"),
        (
            {"quantity": "co2", "above": 1, "active_hours": {"timezone": "Mars/Olympus"}},
            "unknown time zone",
        ),
        ({"quantity": "co2", "above": 1, "id": "Not A Slug"}, "should match pattern"),
    ],
)
def test_bad_rules_are_refused_with_a_clear_message(spec: dict[str, object], message: str) -> None:
    raw = {"kind": "threshold", "id": "r", "name": "R", **spec}
    with pytest.raises(ValidationError, match=message):
        RULE_ADAPTER.validate_python(raw)


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValidationError, match="does not match any of the expected tags"):
        RULE_ADAPTER.validate_python({"kind": "magic", "id": "r", "name": "R"})


@pytest.mark.parametrize(
    ("scope", "applies"),
    [
        ({}, True),
        ({"site": "ostdorf-meeting"}, True),
        ({"site": "ostdorf-hub"}, True),  # the hub the room is in
        ({"site": "ostdorf-parcels"}, False),
        ({"device": "A8-40-41-00-01-81-C0-61"}, True),
        ({"device": "a84041000181c062"}, False),
        ({"model": "elsys/ers-co2"}, True),
        ({"model": "elsys/ers"}, False),
        ({"tag": "floor=1"}, True),
        ({"tag": "floor=2"}, False),
    ],
)
def test_scopes(scope: dict[str, str], applies: bool) -> None:
    rule = ThresholdRule(id="co2", name="CO2", quantity="co2", above=1400, **scope)
    assert rule.applies_to(DEVICE, ("ostdorf-meeting", "ostdorf-hub")) is applies


def test_builtins_apply_unless_the_tenant_has_its_own_rule_of_that_kind() -> None:
    builtins = builtin_rules(offline_factor=3, battery_below=20)
    assert [rule.kind for rule in effective_rules([], builtins)] == [
        "offline",
        "battery_low",
        "implausible",
    ]
    own = OfflineRule(id="silent", name="Silent", factor=5, severity="critical")
    rules = effective_rules([own], builtins)
    assert [rule.id for rule in rules] == ["silent", "battery-low", "implausible"]
    disabled = own.model_copy(update={"enabled": False})
    assert [rule.id for rule in effective_rules([disabled], builtins)] == [
        "battery-low",
        "implausible",
    ]


def test_context_gives_each_device_the_rules_of_its_tenant_and_sites() -> None:
    sites = [
        Site(id="ostdorf-hub", tenant="ostdorf", name="Dorfhub", kind="hub"),
        Site(
            id="ostdorf-meeting",
            tenant="ostdorf",
            name="Besprechungsraum",
            kind="room",
            parent="ostdorf-hub",
        ),
    ]
    hub_rule = ThresholdRule(id="co2", name="CO2", quantity="co2", above=1400, site="ostdorf-hub")
    context = AlertContext.build(
        [Tenant("ostdorf", "Ostdorf"), Tenant("west", "West", "en")],
        sites,
        {"ostdorf": [hub_rule]},
        builtin_rules(3, 20),
    )
    assert [rule.id for rule in context.rules_for(DEVICE)] == [
        "co2",
        "offline",
        "battery-low",
        "implausible",
    ]
    other = Device(DEVICE.dev_eui, "x", DEVICE.model, "west", "west-site")
    assert [rule.id for rule in context.rules_for(other)] == [
        "offline",
        "battery-low",
        "implausible",
    ]
    assert context.lineage["ostdorf-meeting"] == ("ostdorf-meeting", "ostdorf-hub")
    assert context.languages["west"] == "en"
