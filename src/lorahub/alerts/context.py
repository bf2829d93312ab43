"""What rule evaluation needs to know of the registry: rules per tenant, sites and languages.

A snapshot, rebuilt whole when rules, tenants or sites change (like the device directory).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from lorahub.alerts.rules import Rule, effective_rules
from lorahub.domain.device import Device
from lorahub.domain.tenancy import Language, Site, Tenant


@dataclass(frozen=True, slots=True)
class AlertContext:
    """Rules in force per tenant, site names and lineage, tenant languages."""

    rules: Mapping[str, tuple[Rule, ...]] = field(default_factory=dict)
    site_names: Mapping[str, str] = field(default_factory=dict)
    lineage: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    languages: Mapping[str, Language] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        tenants: Iterable[Tenant],
        sites: Iterable[Site],
        own_rules: Mapping[str, list[Rule]],
        builtins: tuple[Rule, ...],
    ) -> AlertContext:
        """Assemble the snapshot: each tenant's own rules plus the built-ins it does not override.

        Args:
            tenants: every tenant.
            sites: every site.
            own_rules: the rules each tenant defined, by tenant id.
            builtins: the default liveness rules (``rules.builtin_rules``).
        """
        tenant_list = list(tenants)
        site_list = list(sites)
        parents = {site.id: site.parent for site in site_list}
        return cls(
            rules={
                tenant.id: tuple(effective_rules(own_rules.get(tenant.id, []), builtins))
                for tenant in tenant_list
            },
            site_names={site.id: site.name for site in site_list},
            lineage={site.id: _lineage(site.id, parents) for site in site_list},
            languages={tenant.id: tenant.language for tenant in tenant_list},
        )

    def rules_for(self, device: Device) -> list[Rule]:
        """The rules of the device's tenant whose scope includes the device."""
        lineage = self.lineage.get(device.site, (device.site,))
        return [
            rule for rule in self.rules.get(device.tenant, ()) if rule.applies_to(device, lineage)
        ]

    def rule(self, tenant: str, rule_id: str) -> Rule | None:
        """A rule in force, by tenant and id."""
        for rule in self.rules.get(tenant, ()):
            if rule.id == rule_id:
                return rule
        return None


def _lineage(site_id: str, parents: Mapping[str, str | None]) -> tuple[str, ...]:
    """The site, its parent, its parent's parent … (cycles cut)."""
    chain = [site_id]
    parent = parents.get(site_id)
    while parent is not None and parent not in chain:
        chain.append(parent)
        parent = parents.get(parent)
    return tuple(chain)
