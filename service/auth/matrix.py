"""The role matrix: which roles may call which operation, in one table.

Every protected route names a permission from ``PERMISSIONS`` through ``requires(...)``
(``service.auth.deps``); nothing else decides who may call what. ``docs/role-matrix.md`` is
generated from this table (``riverchief docs role-matrix``) and tests are generated from it.
``public`` means anonymous callers too. Scoping (a chief sees their own patrols, a
neighbor_viewer only its own city) is done by the queries, on top of this table.
"""

from __future__ import annotations

ALL_ROLES = ("office", "chief", "liaison", "county", "patrol", "neighbor_viewer")
STAFF = frozenset({"office", "chief", "liaison", "county"})
OFFICE = frozenset({"office"})
PUBLIC = "public"

#: permission -> the roles allowed (or PUBLIC for everyone, including anonymous callers).
PERMISSIONS: dict[str, frozenset[str] | str] = {
    "registry.read": PUBLIC,
    "registry.write": OFFICE,
    "auth.me": frozenset(ALL_ROLES),
}


def allowed(permission: str, role: str | None) -> bool:
    """True if ``role`` (None = anonymous) may use ``permission``."""
    rule = PERMISSIONS[permission]
    if rule == PUBLIC:
        return True
    return role is not None and role in rule
