"""Load the alert context (rules per tenant, sites, languages) from the registry database."""

from __future__ import annotations

from sqlalchemy import Engine

from lorahub.adapters.rules_sql import SqlRuleRepository
from lorahub.adapters.tenants_sql import SqlTenantRepository
from lorahub.alerts.context import AlertContext
from lorahub.alerts.rules import Rule, builtin_rules
from lorahub.settings import AlertSettings

Fingerprint = tuple[tuple[int, int], tuple[tuple[str, str], ...], tuple[tuple[str, ...], ...]]


class SqlAlertContextSource:
    """Builds ``AlertContext`` snapshots; the fingerprint changes with rules, tenants or sites."""

    def __init__(
        self,
        rules: SqlRuleRepository,
        tenants: SqlTenantRepository,
        builtins: tuple[Rule, ...],
    ) -> None:
        self._rules = rules
        self._tenants = tenants
        self._builtins = builtins

    @classmethod
    def on(cls, engine: Engine, settings: AlertSettings) -> SqlAlertContextSource:
        """On the registry database, with the built-in rules the ``[alerts]`` settings give."""
        builtins = (
            builtin_rules(settings.offline_factor, settings.battery_low_percent)
            if settings.builtin_rules
            else ()
        )
        return cls(SqlRuleRepository(engine), SqlTenantRepository(engine), builtins)

    def fingerprint(self) -> Fingerprint:
        """Rule count and newest change, every tenant's language, every site's name and parent.

        The tenant and site tables of a village network are small, so reading them whole is
        cheaper than keeping change stamps on them.
        """
        tenants = tuple((tenant.id, tenant.language) for tenant in self._tenants.tenants(None))
        sites = tuple(
            (site.id, site.tenant, site.name, site.parent or "")
            for site in self._tenants.sites(None)
        )
        return self._rules.fingerprint(), tenants, sites

    def load(self) -> AlertContext:
        """The current snapshot."""
        own: dict[str, list[Rule]] = {}
        for item in self._rules.rules(None):
            own.setdefault(item.tenant, []).append(item.rule)
        return AlertContext.build(
            self._tenants.tenants(None), self._tenants.sites(None), own, self._builtins
        )
