"""The role matrix: which roles may call which operation, in one table.

Every protected route names a permission from ``PERMISSIONS`` through ``requires(...)``
(``service.auth.deps``); nothing else decides who may call what. ``docs/role-matrix.md`` is
generated from this table (``riverchief docs role-matrix``) and tests are generated from it.
``public`` means anonymous callers too. Scoping (a chief sees their own patrols, a
neighbor_viewer only its own city) is done by the queries, on top of this table.
"""

from __future__ import annotations

ALL_ROLES = ("office", "chief", "liaison", "county", "township", "patrol", "neighbor_viewer")
#: A township office (issue 18) reads what a county office reads, for its own township.
STAFF = frozenset({"office", "chief", "liaison", "county", "township"})
OFFICE = frozenset({"office"})
PUBLIC = "public"

#: permission -> the roles allowed (or PUBLIC for everyone, including anonymous callers).
PERMISSIONS: dict[str, frozenset[str] | str] = {
    "registry.read": PUBLIC,
    "registry.write": OFFICE,
    # Reaches (issue 18): the office cuts township and village reaches and ends them; reading
    # reaches and who is responsible at a point is public, like the signboards by the river.
    "reaches.write": OFFICE,
    "auth.me": frozenset(ALL_ROLES),
    # Security (issue 9): everyone changes their own password; the office manages accounts
    # and reads the audit log.
    "auth.password": frozenset(ALL_ROLES),
    "users.admin": OFFICE,
    "audit.read": OFFICE,
    # Map data (issue 8): vector tiles and OGC API Features show public fields only.
    "tiles.read": PUBLIC,
    "ogc.read": PUBLIC,
    # Patrols (issue 3): uploads by the chief, their patrol recorder, the office or the liaison
    # unit; routes and tracks are private (scoped in service.patrols.access), coverage public.
    "patrols.upload": frozenset({"office", "chief", "liaison", "patrol"}),
    "patrols.read": frozenset({"office", "chief", "liaison", "patrol"}),
    "patrols.track": frozenset({"office", "chief", "liaison", "patrol"}),
    "patrols.void": OFFICE,
    "patrols.raw": OFFICE,
    "coverage.read": PUBLIC,
    "compliance.read": STAFF,
    # Governance (issue 7): reads for staff; writes for the bodies the seed names (office,
    # chiefs, liaison units; counties report on decided items assigned to them). Who speaks
    # for which river or meeting is checked in service.governance.permissions.
    "governance.read": STAFF,
    "meetings.write": frozenset({"office", "chief", "liaison"}),
    "action_items.update": frozenset({"office", "liaison", "county"}),
    "lists.write": frozenset({"office", "chief", "liaison"}),
    "health.write": frozenset({"office", "liaison"}),
    "health.map": PUBLIC,
    "health.approve": frozenset({"chief"}),
    "inspections.write": frozenset({"office", "liaison"}),
    "accountability.write": OFFICE,
    "assessment.write": OFFICE,
    # Problems (issue 4): reported by anyone in the field; reads scoped in
    # service.problems.queries (neighbor_viewer sees public fields only); who may take which
    # workflow action is decided by service.problems.workflow (state first: 409, then 403).
    "problems.report": frozenset({"office", "chief", "liaison", "county", "township", "patrol"}),
    "problems.read": frozenset(ALL_ROLES),
    "problems.transition": frozenset(ALL_ROLES),
    "problems.photo.upload": frozenset(
        {"office", "chief", "liaison", "county", "township", "patrol"}
    ),
    "problems.photo.read": frozenset(
        {"office", "chief", "liaison", "county", "township", "patrol"}
    ),
    "problems.summary": STAFF,
    "problems.map": PUBLIC,
    # Cross-boundary (issue 5): crossings are public geography; the view of one neighbour
    # (and its brief), agreements and the next convener are for staff and for the
    # neighbor_viewer of that city (scoped in service.cross_boundary.view / .meetings).
    "cross_boundary.read": PUBLIC,
    "cross_boundary.view": STAFF | {"neighbor_viewer"},
    "agreements.read": STAFF | {"neighbor_viewer"},
    "agreements.write": OFFICE,
    # Public supervision (issue 10): anyone may report, track by code and read the counts;
    # the office moderates. Every account has a to-do list (empty for a neighbour city).
    "public.report": PUBLIC,
    "public.moderate": OFFICE,
    "todo.read": frozenset(ALL_ROLES),
    # Water quality (issue 20): sections and their classes are public, as provincial
    # platforms publish them; raw readings and exceedances for staff and neighbour cities
    # (their border sections are in their view); the office registers and imports.
    "sections.read": PUBLIC,
    "sections.readings": STAFF | {"neighbor_viewer"},
    "sections.write": OFFICE,
    # Notifications (issue 21): the office runs the outbox and sets the channels up; every
    # account chooses how it is told; a citizen unsubscribes by the link in a message.
    "notifications.outbox": OFFICE,
    "notifications.channels": OFFICE,
    "notifications.preferences": frozenset(ALL_ROLES),
    "notifications.unsubscribe": PUBLIC,
    # River archive and signboards (issue 19): staff read the archive, the office edits it
    # and keeps the signboards; the page a signboard's QR code opens is public.
    "archive.read": STAFF,
    "archive.write": OFFICE,
    "signboards.read": STAFF,
    "signboards.write": OFFICE,
    "signboards.page": PUBLIC,
}


#: Routes with no ``requires(...)`` dependency on purpose (method, path). Any other route
#: without one fails tests/security/test_role_matrix.py, so nothing ships unprotected by
#: accident. Sign-in must be reachable without a token; the rest serve no data.
UNGUARDED_ROUTES: frozenset[tuple[str, str]] = frozenset(
    {
        ("POST", "/api/v1/auth/token"),
        ("GET", "/healthz"),
        ("GET", "/openapi.json"),
        ("GET", "/docs"),
        ("GET", "/docs/oauth2-redirect"),
        ("GET", "/redoc"),
        ("GET", "/"),
        ("GET", "/sw.js"),
        ("GET", "/static/{path:path}"),
    }
)


def allowed(permission: str, role: str | None) -> bool:
    """True if ``role`` (None = anonymous) may use ``permission``."""
    rule = PERMISSIONS[permission]
    if rule == PUBLIC:
        return True
    return role is not None and role in rule
