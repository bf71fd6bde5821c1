"""The endpoint × role table, read from the app's routes and ``service.auth.matrix``.

Each route's dependency tree is walked for the ``requires(...)`` dependency
(``service.auth.deps``), which names its permission; the matrix gives the roles. The same
rows drive ``docs/role-matrix.md`` (``riverchief docs role-matrix``) and the generated tests
in ``tests/security/test_role_matrix.py``, so the document, the tests and the enforcement
cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from starlette.routing import Mount, compile_path

from service.auth.deps import PERMISSION_ATTR
from service.auth.matrix import ALL_ROLES, PERMISSIONS, PUBLIC, UNGUARDED_ROUTES

#: Columns of the table: the six roles, then anonymous callers.
COLUMNS = (*ALL_ROLES, "anonymous")
DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "role-matrix.md"


@dataclass(frozen=True)
class RouteRule:
    """One method + path and who may call it (``permissions`` empty: unguarded)."""

    method: str
    path: str
    permissions: tuple[str, ...]
    in_schema: bool

    def allows(self, role: str) -> bool:
        """True when ``role`` (or ``anonymous``) passes every permission of the route."""
        for permission in self.permissions:
            rule = PERMISSIONS[permission]
            if rule == PUBLIC:
                continue
            if role == "anonymous" or role not in rule:
                return False
        return True

    @property
    def public(self) -> bool:
        return all(PERMISSIONS[p] == PUBLIC for p in self.permissions)


def _permissions(dependant: Dependant) -> list[str]:
    found: list[str] = []
    call = dependant.call
    name = getattr(call, PERMISSION_ATTR, None)
    if isinstance(name, str):
        found.append(name)
    for sub in dependant.dependencies:
        for permission in _permissions(sub):
            if permission not in found:
                found.append(permission)
    return found


def _flatten(routes: Iterable[Any]) -> Iterator[Any]:
    """Routes and, for included routers (FastAPI >= 0.16x keeps them nested), their
    effective per-route contexts, which carry the full path and the merged dependencies."""
    for route in routes:
        contexts = getattr(route, "effective_route_contexts", None)
        if contexts is not None:
            yield from contexts()
        else:
            yield route


def route_rules(app: FastAPI) -> list[RouteRule]:
    """Every HTTP method + path the app serves, with its permissions, sorted by path."""
    rules: list[RouteRule] = []
    for route in _flatten(app.routes):
        if isinstance(route, Mount):
            rules.append(RouteRule("GET", route.path + "/{path:path}", (), False))
            continue
        dependant = getattr(route, "dependant", None)
        permissions = tuple(_permissions(dependant)) if dependant is not None else ()
        in_schema = bool(getattr(route, "include_in_schema", False)) and dependant is not None
        methods = getattr(route, "methods", None) or {"GET"}
        for method in sorted(methods):
            if method != "HEAD":
                rules.append(RouteRule(method, str(route.path), permissions, in_schema))
    return sorted(rules, key=lambda r: (r.path, r.method))


def get_permissions(app: FastAPI, path: str) -> tuple[str, ...] | None:
    """The permissions of the route a GET of ``path`` (no query) reaches, in the app's
    routing order; None when no GET route matches (static files included: none is under
    /api)."""
    for route in _flatten(app.routes):
        if isinstance(route, Mount) or "GET" not in (getattr(route, "methods", None) or ()):
            continue
        regex, _format, _convertors = compile_path(str(route.path))
        if regex.match(path):
            dependant = getattr(route, "dependant", None)
            return tuple(_permissions(dependant)) if dependant is not None else ()
    return None


def unprotected(rules: list[RouteRule]) -> list[RouteRule]:
    """Routes with no permission that are not listed in ``UNGUARDED_ROUTES``."""
    return [r for r in rules if not r.permissions and (r.method, r.path) not in UNGUARDED_ROUTES]


def render_markdown(app: FastAPI) -> str:
    """``docs/role-matrix.md``: one row per endpoint, one column per role."""
    rules = route_rules(app)
    lines = [
        "# Role matrix",
        "",
        "Generated from `service/auth/matrix.py` and the app's routes by "
        "`riverchief docs role-matrix`; do not edit by hand "
        "(`tests/security/test_role_matrix.py` fails when it is stale).",
        "",
        "✔ = allowed, · = refused (401 for anonymous callers, 403 for signed-in roles). "
        "Allowed is not the whole answer: scoped roles see only their own rows "
        "(a chief their patrols, a county its county, a neighbor_viewer its own city), "
        "which the queries enforce.",
        "",
        "| method | path | permission | " + " | ".join(COLUMNS) + " |",
        "|---|---|---|" + "---|" * len(COLUMNS),
    ]
    for rule in rules:
        if not rule.permissions and (rule.method, rule.path) in UNGUARDED_ROUTES:
            label = "(unguarded: no data)"
        else:
            label = ", ".join(f"`{p}`" for p in rule.permissions) or "**MISSING**"
        cells = ["✔" if rule.allows(role) else "·" for role in COLUMNS]
        path = rule.path.replace("|", "\\|")
        lines.append(f"| {rule.method} | `{path}` | {label} | " + " | ".join(cells) + " |")
    lines += ["", "## Permissions", "", "| permission | roles |", "|---|---|"]
    for permission, allowed_roles in sorted(PERMISSIONS.items()):
        roles = "everyone (public)" if allowed_roles == PUBLIC else ", ".join(sorted(allowed_roles))
        lines.append(f"| `{permission}` | {roles} |")
    return "\n".join(lines) + "\n"
