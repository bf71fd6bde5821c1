"""Tests generated from the role matrix: every endpoint × role (seven roles and anonymous).

The rows come from ``service.security.rolematrix.route_rules`` — the same rows as
``docs/role-matrix.md`` — so a new endpoint is tested the moment it is routed. Allowed calls
must get past the matrix (not 401, not the matrix's 403) and must not fail with a 5xx even
with placeholder parameters; forbidden ones get 401 (anonymous) or the matrix's 403.
Scoped reads (a role allowed, but only to its own rows) are tested in ``test_scopes.py``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

os.environ.setdefault("RIVERCHIEF_ENV", "development")  # collection builds the app

from service.auth.matrix import PERMISSIONS, UNGUARDED_ROUTES
from service.main import create_app
from service.security.rolematrix import (
    COLUMNS,
    DOC_PATH,
    RouteRule,
    render_markdown,
    route_rules,
    unprotected,
)

RULES = route_rules(create_app())
GUARDED = [r for r in RULES if r.permissions]
#: Demo account of each role (tests/conftest.py); anonymous sends no token.
ACCOUNT = {
    "office": "office",
    "chief": "chief",
    "liaison": "liaison",
    "county": "county",
    "township": "township",
    "patrol": "patrol",
    "neighbor_viewer": "meishan",
}
#: Placeholder path parameters: real codes where a code is expected, else 1.
SAMPLES = {
    "neighbor_code": "511400",
    "collection_id": "rivers",
    "layer": "segments",
    "z": "8",
    "x": "200",
    "y": "105",
    "year": "2026",
    "path": "index.html",
    "code": "511111",
}
PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")


def concrete(path: str) -> str:
    return PARAM.sub(lambda m: SAMPLES.get(m.group(1), "1"), path)


def call(client: TestClient, rule: RouteRule, headers: dict[str, str]) -> tuple[int, dict]:
    url = concrete(rule.path)
    if rule.method in ("POST", "PUT", "PATCH"):
        response = client.request(rule.method, url, json={}, headers=headers)
    else:
        response = client.request(rule.method, url, headers=headers)
    try:
        body = response.json() if "json" in response.headers.get("content-type", "") else {}
    except ValueError:
        body = {}
    return response.status_code, body if isinstance(body, dict) else {}


def test_every_route_is_guarded_or_explicitly_unguarded() -> None:
    missing = unprotected(RULES)
    assert not missing, (
        "routes without requires(...): add a permission in service/auth/matrix.py, or list "
        f"them in UNGUARDED_ROUTES if they serve no data: {[(r.method, r.path) for r in missing]}"
    )
    api = [r for r in RULES if r.path.startswith("/api/v1")]
    assert len(api) >= 20
    for rule in api:
        if (rule.method, rule.path) != ("POST", "/api/v1/auth/token"):
            assert rule.permissions, f"{rule.method} {rule.path} has no permission"
    for permission in (p for r in RULES for p in r.permissions):
        assert permission in PERMISSIONS


def test_unguarded_list_has_no_stale_entries() -> None:
    """Every exemption names a route that exists, so the list cannot hide a renamed route."""
    served = {(r.method, r.path) for r in RULES}
    assert sorted(UNGUARDED_ROUTES - served) == []


def test_role_matrix_document_is_up_to_date() -> None:
    assert DOC_PATH.read_text() == render_markdown(create_app()), (
        "docs/role-matrix.md is stale: run `riverchief docs role-matrix`"
    )


@pytest.mark.parametrize("rule", GUARDED, ids=lambda r: f"{r.method} {r.path}")
def test_endpoint_by_role(
    rule: RouteRule, client: TestClient, auth_headers: Callable[[str], dict[str, str]]
) -> None:
    failures: list[str] = []
    # A public route runs the same code for every signed-in role: anonymous and the least
    # privileged role stand for all (keeps the suite fast on heavy public map layers).
    roles = ("anonymous", "neighbor_viewer") if rule.public else COLUMNS
    for role in roles:
        headers = auth_headers(ACCOUNT[role]) if role in ACCOUNT else {}
        status, body = call(client, rule, headers)
        matrix_refused = status == 403 and body.get("code") == "role_forbidden"
        if rule.allows(role):
            if status == 401 or matrix_refused or status >= 500:
                failures.append(f"{role}: allowed but got {status} {body.get('detail')}")
        elif role == "anonymous":
            if status != 401:
                failures.append(f"anonymous: expected 401, got {status}")
        elif not matrix_refused:
            failures.append(f"{role}: expected the matrix's 403, got {status} {body}")
    assert not failures, f"{rule.method} {rule.path}: " + "; ".join(failures)
