"""The caller's scope: everything a scoped read may depend on about who is asking.

The role matrix decides whether a caller may call a route at all; the scope decides what the
answer contains (a chief sees their own patrols, a county its county's problems, a neighbour
viewer its own city's view). Routes build it from the account (:meth:`Scope.of`) and pass it
to the queries; the read cache (``service.web.read_cache``) loads the same fields from
``user_account`` (:meth:`Scope.columns`) and keys every signed-in answer on the whole object.
So a field added here is, by construction, both available to the queries and part of the
cache key: one account's answer can never be served to an account with another scope.

Each field is the ``user_account`` column of the same name. An account column that is not
part of any scope is listed in ``NOT_SCOPE`` with the reason (``tests/auth/test_scope.py``
fails on a column in neither).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import ColumnElement

from service.auth.models import UserAccount

#: ``user_account`` columns no read is scoped by: credentials, lockout and bookkeeping
#: (checked on every request before any answer, cached or not).
NOT_SCOPE = frozenset(
    {
        "username",
        "password_hash",
        "disabled",
        "token_version",
        "failed_logins",
        "locked_until",
        "created_at",
    }
)


@dataclass(frozen=True)
class Scope:
    """Who is asking, as far as any answer may differ by it. All None: an anonymous caller."""

    #: The account (a patrol recorder's own reports); None when anonymous.
    id: int | None = None
    role: str | None = None
    #: The official a chief is, or a patrol account records for.
    official_id: int | None = None
    #: A liaison account's unit.
    liaison_unit_id: int | None = None
    #: A county account's county code (6 digits).
    county_code: str | None = None
    #: A neighbor_viewer's neighbour city code.
    neighbor_code: str | None = None

    @classmethod
    def of(cls, user: UserAccount | None) -> Scope:
        """The scope of ``user`` (the anonymous scope for None)."""
        if user is None:
            return ANONYMOUS
        return cls(**{f.name: getattr(user, f.name) for f in fields(cls)})

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> Scope:
        """The scope in a row selected with :meth:`columns` (by column name)."""
        return cls(**{f.name: row[f.name] for f in fields(cls)})

    @classmethod
    def columns(cls) -> list[ColumnElement[object]]:
        """The ``user_account`` columns a scope is made of, in field order."""
        table = UserAccount.__table__
        return [table.c[f.name] for f in fields(cls)]

    @property
    def anonymous(self) -> bool:
        return self.role is None


ANONYMOUS = Scope()
