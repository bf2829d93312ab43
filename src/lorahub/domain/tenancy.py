"""Tenants (municipalities), their sites, and who may see or change what."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SiteKind = Literal["hub", "room", "parcel_station", "public_place", "other"]
Role = Literal["admin", "operator", "viewer"]
Language = Literal["de", "en"]


@dataclass(frozen=True, slots=True)
class Tenant:
    """A municipality (or another organisation) sharing the platform."""

    id: str
    name: str
    language: Language = "de"


@dataclass(frozen=True, slots=True)
class Site:
    """A place devices belong to: a village hub, a room inside it, a parcel station, a square."""

    id: str
    tenant: str
    name: str
    kind: SiteKind
    parent: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    capacity: int | None = None
    public: bool = False


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated API caller: a role over some tenants (an admin over all of them)."""

    name: str
    role: Role
    tenants: frozenset[str]

    @property
    def all_tenants(self) -> bool:
        """Admins see every tenant, whatever their token lists."""
        return self.role == "admin"

    def scope(self) -> frozenset[str] | None:
        """The tenants to filter queries by, or None for no filter (admin)."""
        return None if self.all_tenants else self.tenants

    def can_read(self, tenant: str) -> bool:
        """May see data of ``tenant``."""
        return self.all_tenants or tenant in self.tenants

    def can_manage(self, tenant: str) -> bool:
        """May create, change or delete sites and devices of ``tenant``."""
        return self.role == "admin" or (self.role == "operator" and tenant in self.tenants)
