"""Alert rules: what a tenant wants to be told about, validated at the boundary (pydantic).

Four kinds, one model each, told apart by ``kind``: ``threshold`` on any canonical quantity
(above or below a level, with a separate clear level for hysteresis and a hold time),
``offline`` (no uplink for ``factor`` times the device's expected interval), ``battery_low`` and
``implausible`` (a value outside its quantity's physical range). Every rule has a scope: the
whole tenant, or a site (and the sites under it), a device, a model or a device tag.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator, model_validator

from lorahub.alerts.notice import AlertKind, Severity
from lorahub.domain.device import Device
from lorahub.domain.ids import SLUG_PATTERN, parse_dev_eui, parse_model_id
from lorahub.domain.quantities import QUANTITIES
from lorahub.domain.timezones import known_time_zone

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ActiveHours(_Strict):
    """When a rule may fire: some weekdays, between two local times (``end`` may be past midnight).

    Outside these hours no new alert fires, a pending hold time is dropped and a firing
    alert of the rule is resolved.
    """

    days: tuple[Weekday, ...] = WEEKDAYS
    start: time = time(0, 0)
    end: time = time(23, 59, 59)
    timezone: str = "Europe/Berlin"

    _known_zone = field_validator("timezone")(known_time_zone)

    @field_validator("days")
    @classmethod
    def _some_days(cls, value: tuple[Weekday, ...]) -> tuple[Weekday, ...]:
        if not value:
            raise ValueError("active hours need at least one day")
        return value

    def active_at(self, time_ns: int) -> bool:
        """Whether the instant ``time_ns`` (ns since the epoch) falls in these hours."""
        local = datetime.fromtimestamp(time_ns / 1e9, ZoneInfo(self.timezone))
        now, day = local.time(), WEEKDAYS[local.weekday()]
        if self.start <= self.end:
            return day in self.days and self.start <= now <= self.end
        if now >= self.start:  # the evening part of an overnight window
            return day in self.days
        yesterday = WEEKDAYS[(local.weekday() - 1) % 7]  # the morning part belongs to yesterday
        return yesterday in self.days and now <= self.end


class RuleBase(_Strict):
    """What every rule has: id, name, severity, scope, active hours, and whether it is on."""

    id: str = Field(pattern=SLUG_PATTERN, description="unique within the tenant")
    name: str = Field(min_length=1, max_length=200)
    severity: Severity = "warning"
    enabled: bool = True
    site: str | None = Field(None, pattern=SLUG_PATTERN, description="this site and those under it")
    device: str | None = Field(None, description="one DevEUI")
    model: str | None = Field(None, description="one catalog model id")
    tag: str | None = Field(None, description="a device tag as key=value")
    active_hours: ActiveHours | None = None
    renotify_after_s: float | None = Field(
        None, gt=0, description="re-notify while unacknowledged (critical only); else settings"
    )

    @field_validator("device")
    @classmethod
    def _dev_eui(cls, value: str | None) -> str | None:
        return None if value is None else parse_dev_eui(value)

    @field_validator("model")
    @classmethod
    def _model(cls, value: str | None) -> str | None:
        return None if value is None else parse_model_id(value)

    @field_validator("tag")
    @classmethod
    def _tag(cls, value: str | None) -> str | None:
        if value is not None and "=" not in value.strip("="):
            raise ValueError("tag must be written key=value")
        return value

    def applies_to(self, device: Device, site_lineage: tuple[str, ...]) -> bool:
        """Whether ``device`` (at a site whose lineage, own id first, is given) is in scope."""
        if self.device is not None and device.dev_eui != self.device:
            return False
        if self.model is not None and device.model != self.model:
            return False
        if self.site is not None and self.site not in site_lineage:
            return False
        if self.tag is not None:
            key, _, value = self.tag.partition("=")
            if (key, value) not in device.tags:
                return False
        return True

    def active_at(self, time_ns: int) -> bool:
        """Whether the rule may fire at ``time_ns``."""
        return self.active_hours is None or self.active_hours.active_at(time_ns)


class ThresholdRule(RuleBase):
    """A quantity above (or below) a level, firing after ``hold_s``, clearing at ``clear``."""

    kind: Literal["threshold"] = "threshold"
    quantity: str
    above: float | None = None
    below: float | None = None
    clear: float | None = Field(None, description="the level that resolves (hysteresis)")
    hold_s: float = Field(0.0, ge=0, description="the condition must hold this long to fire")

    @field_validator("quantity")
    @classmethod
    def _known_quantity(cls, value: str) -> str:
        if value not in QUANTITIES:
            known = ", ".join(sorted(QUANTITIES))
            raise ValueError(f"unknown quantity {value!r}; known: {known}")
        return value

    @model_validator(mode="after")
    def _one_direction(self) -> ThresholdRule:
        if (self.above is None) == (self.below is None):
            raise ValueError("give exactly one of 'above' and 'below'")
        if self.clear is not None:
            if self.above is not None and self.clear > self.above:
                raise ValueError("'clear' must not be above 'above' (hysteresis goes down)")
            if self.below is not None and self.clear < self.below:
                raise ValueError("'clear' must not be below 'below' (hysteresis goes up)")
        return self

    @property
    def level(self) -> float:
        """The level that fires."""
        return self.above if self.above is not None else self.below  # type: ignore[return-value]

    @property
    def clear_level(self) -> float:
        """The level that resolves (the firing level when no hysteresis is set)."""
        return self.clear if self.clear is not None else self.level

    def violated(self, value: float) -> bool:
        """Whether ``value`` is past the firing level."""
        return value > self.level if self.above is not None else value < self.level

    def cleared(self, value: float) -> bool:
        """Whether ``value`` is back past the clear level."""
        clear = self.clear_level
        return value <= clear if self.above is not None else value >= clear


class OfflineRule(RuleBase):
    """No uplink for ``factor`` times the device's expected interval (or ``after_s`` when set)."""

    kind: Literal["offline"] = "offline"
    factor: float = Field(3.0, gt=1)
    after_s: float | None = Field(
        None, gt=0, description="a fixed silence, for devices without an expected interval"
    )

    def silence_limit_s(self, device: Device) -> float | None:
        """How long ``device`` may be silent, or None when it cannot be judged."""
        if self.after_s is not None:
            return self.after_s
        if device.expected_interval_s:
            return self.factor * device.expected_interval_s
        return None


class BatteryLowRule(RuleBase):
    """Battery below ``below`` % (or below ``below_volts`` V), clearing at ``clear``."""

    kind: Literal["battery_low"] = "battery_low"
    below: float = Field(20.0, ge=0, le=100)
    clear: float = Field(30.0, ge=0, le=100)
    below_volts: float | None = Field(None, gt=0, le=60)
    clear_volts: float | None = Field(None, gt=0, le=60)

    @model_validator(mode="after")
    def _hysteresis_up(self) -> BatteryLowRule:
        if self.clear < self.below:
            raise ValueError("'clear' must not be below 'below'")
        if self.below_volts is not None and (self.clear_volts or self.below_volts) < (
            self.below_volts
        ):
            raise ValueError("'clear_volts' must not be below 'below_volts'")
        return self


class ImplausibleRule(RuleBase):
    """A device reports a value outside its quantity's physical range (a broken sensor)."""

    kind: Literal["implausible"] = "implausible"


Rule = Annotated[
    ThresholdRule | OfflineRule | BatteryLowRule | ImplausibleRule, Field(discriminator="kind")
]
"""Any rule, told apart by ``kind``."""

RULE_ADAPTER: TypeAdapter[Rule] = TypeAdapter(Rule)
"""Validates one rule from a mapping or JSON."""

BUILTIN_KINDS: tuple[AlertKind, ...] = ("offline", "battery_low", "implausible")
"""Liveness kinds every tenant gets by default (see ``builtin_rules``)."""


def builtin_rules(offline_factor: float, battery_below: float) -> tuple[Rule, ...]:
    """The default liveness rules of a tenant that has defined none of that kind itself."""
    return (
        OfflineRule(id="offline", name="Offline", factor=offline_factor, severity="warning"),
        BatteryLowRule(
            id="battery-low",
            name="Battery low",
            below=battery_below,
            clear=min(100.0, battery_below + 10),
            severity="info",
        ),
        ImplausibleRule(id="implausible", name="Implausible value", severity="warning"),
    )


def effective_rules(own: list[Rule], builtins: tuple[Rule, ...]) -> list[Rule]:
    """A tenant's enabled rules plus each built-in of a kind the tenant has no rule of."""
    kinds = {rule.kind for rule in own}
    ids = {rule.id for rule in own}
    added = [rule for rule in builtins if rule.kind not in kinds and rule.id not in ids]
    return [rule for rule in own if rule.enabled] + added
