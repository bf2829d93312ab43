"""API tokens in SQL: stored as SHA-256 hashes, each with a role and its tenants."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from lorahub.adapters.sql_schema import api_tokens, token_tenants
from lorahub.adapters.tenants_sql import Conflict
from lorahub.domain.tenancy import Principal, Role

TOKEN_PREFIX = "lh_"  # noqa: S105 - a visible prefix, not a secret


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """A token as listed (never the secret itself)."""

    id: int
    name: str
    role: Role
    tenants: tuple[str, ...]
    revoked: bool


def hash_token(token: str) -> str:
    """The stored form of a token (tokens are 256-bit random, so a plain SHA-256 suffices)."""
    return hashlib.sha256(token.encode()).hexdigest()


class SqlTokenRepository:
    """Create, check, list and revoke API tokens."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def create(self, name: str, role: Role, tenants: list[str], now_ns: int) -> str:
        """Create a token and return it; it is shown this once and stored only hashed.

        Raises:
            Conflict: the name exists, a tenant does not, or a non-admin token has no tenant.
        """
        if role != "admin" and not tenants:
            raise Conflict(f"a {role} token needs at least one tenant")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        try:
            with self._engine.begin() as connection:
                token_id = connection.execute(
                    insert(api_tokens).values(
                        name=name,
                        token_hash=hash_token(token),
                        role=role,
                        created_ns=now_ns,
                        revoked=False,
                    )
                ).inserted_primary_key[0]  # type: ignore[index]
                if tenants:
                    connection.execute(
                        insert(token_tenants),
                        [{"token_id": token_id, "tenant": tenant} for tenant in tenants],
                    )
        except IntegrityError as exc:
            raise Conflict(f"token name {name!r} exists or a tenant is unknown") from exc
        return token

    def authenticate(self, token: str) -> Principal | None:
        """The principal of a valid, unrevoked token, or None."""
        with self._engine.connect() as connection:
            row = (
                connection.execute(
                    select(api_tokens).where(
                        api_tokens.c.token_hash == hash_token(token),
                        api_tokens.c.revoked.is_(False),
                    )
                )
                .mappings()
                .first()
            )
            if row is None:
                return None
            tenants = connection.execute(
                select(token_tenants.c.tenant).where(token_tenants.c.token_id == row["id"])
            ).scalars()
            return Principal(name=row["name"], role=row["role"], tenants=frozenset(tenants))

    def list(self) -> list[TokenInfo]:
        """Every token, without secrets."""
        with self._engine.connect() as connection:
            rows = connection.execute(select(api_tokens).order_by(api_tokens.c.id)).mappings().all()
            links = connection.execute(select(token_tenants)).mappings().all()
        by_token: dict[int, list[str]] = {}
        for link in links:
            by_token.setdefault(link["token_id"], []).append(link["tenant"])
        return [
            TokenInfo(
                row["id"],
                row["name"],
                row["role"],
                tuple(sorted(by_token.get(row["id"], []))),
                bool(row["revoked"]),
            )
            for row in rows
        ]

    def revoke(self, name: str) -> bool:
        """Revoke a token by name; False when there is none."""
        with self._engine.begin() as connection:
            result = connection.execute(
                update(api_tokens).where(api_tokens.c.name == name).values(revoked=True)
            )
        return bool(result.rowcount)
