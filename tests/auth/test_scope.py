"""The caller's scope: one object for the routes' scoping and the read cache's key.

A field added to ``Scope`` must reach the cache key, and an account column must be either a
scope field or declared as none (``NOT_SCOPE``): otherwise a query could scope by a column
the key does not hold, and serve one account's view to another.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auth.models import UserAccount
from service.auth.scope import ANONYMOUS, NOT_SCOPE, Scope
from service.officials.models import LiaisonUnit, Official
from service.web.read_cache import ACCOUNT_QUERY, cache_key


def _other(value: Any) -> Any:
    """A value of the same kind that differs from ``value``."""
    if value is None:
        return 1
    if isinstance(value, int):
        return value + 1
    return f"{value}x"


def test_every_account_column_is_a_scope_field_or_declared_not_one() -> None:
    columns = set(UserAccount.__table__.c.keys())
    scope = {f.name for f in fields(Scope)}
    assert not scope & NOT_SCOPE
    assert columns - NOT_SCOPE == scope, (
        "a user_account column is neither a Scope field nor in NOT_SCOPE: decide whether "
        "reads may depend on it (service/auth/scope.py)"
    )


def test_the_cache_key_changes_with_every_scope_field() -> None:
    base = Scope(
        id=7,
        role="county",
        official_id=3,
        liaison_unit_id=4,
        county_code="511111",
        neighbor_code="511400",
    )
    key = cache_key("/api/v1/problems.geojson", b"", True, (1, 2), base)
    for f in fields(Scope):
        other = replace(base, **{f.name: _other(getattr(base, f.name))})
        assert cache_key("/api/v1/problems.geojson", b"", True, (1, 2), other) != key, f.name
    assert cache_key("/api/v1/problems.geojson", b"", True, (1, 2), ANONYMOUS) != key


def test_the_read_cache_loads_the_same_scope_the_routes_build(db: Session) -> None:
    user = db.scalar(select(UserAccount).where(UserAccount.username == "county"))
    assert user is not None
    # Every field set, so a column the cache's query left out would show as a difference.
    user.official_id = db.scalar(select(Official.id).limit(1))
    user.liaison_unit_id = db.scalar(select(LiaisonUnit.id).limit(1))
    user.neighbor_code = "511400"
    db.flush()
    routes = Scope.of(user)
    assert all(getattr(routes, f.name) is not None for f in fields(Scope))
    row = db.execute(ACCOUNT_QUERY, {"id": user.id}).one()
    assert Scope.from_row(row._mapping) == routes
    assert row.token_version == user.token_version and row.disabled is False


def test_anonymous_is_its_own_scope() -> None:
    assert Scope.of(None) is ANONYMOUS and ANONYMOUS.anonymous
    assert not Scope(id=1, role="office").anonymous
