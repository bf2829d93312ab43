"""API models at the boundary: Create/Update bodies and Public answers (never a storage row)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Annotated, ClassVar, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from lorahub.api.deps import DEV_EUI_PATTERN
from lorahub.domain.ids import SLUG_PATTERN, parse_dev_eui
from lorahub.domain.tenancy import Language, Site, SiteKind, Tenant


def _no_control(value: str) -> str:
    if any(ord(char) < 0x20 or ord(char) == 0x7F or 0xD800 <= ord(char) < 0xE000 for char in value):
        raise ValueError("must not contain control characters")
    return value


def _no_nul(value: str) -> str:
    if "\x00" in value or any(0xD800 <= ord(char) < 0xE000 for char in value):
        raise ValueError("must not contain NUL or unpaired surrogate characters")
    return value


Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_no_control),
]
Address = Annotated[str, StringConstraints(max_length=500), AfterValidator(_no_nul)]
TagText = Annotated[
    str, StringConstraints(min_length=1, max_length=100), AfterValidator(_no_control)
]
DevEuiText = Annotated[
    str,
    AfterValidator(parse_dev_eui),
    Field(
        description="16 hex digits; any case, `-` or `:` allowed",
        json_schema_extra={"pattern": DEV_EUI_PATTERN},
    ),
]
ModelText = Annotated[str, StringConstraints(min_length=1, max_length=120)]
Distance = Annotated[float, Field(ge=0, le=100, description="metres")]


def utc(ns: int) -> datetime:
    """A nanosecond timestamp as an aware UTC datetime."""
    return datetime.fromtimestamp(ns / 1e9, UTC)


class ApiModel(BaseModel):
    """Bodies refuse unknown fields and non-finite numbers."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class PatchModel(ApiModel):
    """An update body: omitted fields stay as they are; ``null`` clears only nullable fields."""

    required: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="after")
    def _no_null_for_required(self) -> Self:
        nulls = sorted(n for n in self.model_fields_set & self.required if getattr(self, n) is None)
        if nulls:
            raise ValueError(f"{', '.join(nulls)} may not be null")
        return self

    def changes(self) -> dict[str, object]:
        """The fields the caller sent, by name."""
        return self.model_dump(exclude_unset=True)


# tenants -----------------------------------------------------------------------------------


class TenantCreate(ApiModel):
    """A new tenant (admins only)."""

    id: Slug
    name: Name
    language: Language = "de"

    def to_tenant(self) -> Tenant:
        """The domain tenant."""
        return Tenant(id=self.id, name=self.name, language=self.language)


class TenantUpdate(PatchModel):
    """Changes to a tenant."""

    required: ClassVar[frozenset[str]] = frozenset({"name", "language"})
    name: Name | None = None
    language: Language | None = None

    def apply(self, tenant: Tenant) -> Tenant:
        """``tenant`` with these changes."""
        return dataclasses.replace(tenant, **self.changes())  # type: ignore[arg-type]


class TenantPublic(BaseModel):
    """A tenant as answered."""

    id: str
    name: str
    language: Language

    @classmethod
    def of(cls, tenant: Tenant) -> TenantPublic:
        """From the domain tenant."""
        return cls(id=tenant.id, name=tenant.name, language=tenant.language)


# sites -------------------------------------------------------------------------------------


class SiteCreate(ApiModel):
    """A new site of a tenant."""

    id: Slug
    tenant: Slug
    name: Name
    kind: SiteKind
    parent: Slug | None = None
    address: Address | None = None
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    capacity: int | None = Field(None, ge=0, le=1_000_000)
    public: bool = False

    def to_site(self) -> Site:
        """The domain site."""
        return Site(**self.model_dump())


class SiteUpdate(PatchModel):
    """Changes to a site (not its id or tenant)."""

    required: ClassVar[frozenset[str]] = frozenset({"name", "kind", "public"})
    name: Name | None = None
    kind: SiteKind | None = None
    parent: Slug | None = None
    address: Address | None = None
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    capacity: int | None = Field(None, ge=0, le=1_000_000)
    public: bool | None = None

    def apply(self, site: Site) -> Site:
        """``site`` with these changes."""
        return dataclasses.replace(site, **self.changes())  # type: ignore[arg-type]


class SitePublic(SiteCreate):
    """A site as answered."""

    @classmethod
    def of(cls, site: Site) -> SitePublic:
        """From the domain site."""
        return cls.model_validate(dataclasses.asdict(site))
