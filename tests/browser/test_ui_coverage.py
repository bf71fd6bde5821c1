"""Everything the API lets a role do is reachable from the UI (issue 15, "the rule").

``service/auth/matrix.py`` is the checklist: for every permission a role holds, a control
that uses it (``tests/browser/ui_exceptions.py`` CONTROLS) must be on screen for that role in
Chromium, found by its ARIA role and accessible name, unless the ONE exception table there
names the permission (for that role or for all) with its reason.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from service.auth.matrix import ALL_ROLES, PERMISSIONS, allowed
from tests.browser.conftest import LiveServer, open_map, sign_in
from tests.browser.ui_exceptions import CONTROLS, EXCEPTIONS, Control

#: The demo account of each role (DEVELOPING.md).
ACCOUNTS = {
    "office": "office",
    "chief": "chief",
    "liaison": "liaison",
    "county": "county",
    "township": "township",
    "patrol": "patrol",
    "neighbor_viewer": "meishan",
}
OPEN = "reported,assigned,rectifying,rectified,verified,reopened"


def excepted(permission: str, role: str) -> bool:
    return (permission, role) in EXCEPTIONS or (permission, "*") in EXCEPTIONS


def wanted(role: str) -> dict[str, tuple[Control, ...]]:
    """The controls this role must see: one entry per permission it holds, not excepted."""
    return {p: CONTROLS[p] for p in PERMISSIONS if allowed(p, role) and not excepted(p, role)}


def test_every_permission_of_every_role_has_a_control_or_a_reason() -> None:
    assert set(ACCOUNTS) == set(ALL_ROLES)
    missing = [
        (p, role)
        for role in ALL_ROLES
        for p in PERMISSIONS
        if allowed(p, role) and not excepted(p, role) and p not in CONTROLS
    ]
    assert missing == [], f"no control and no exception (tests/browser/ui_exceptions.py): {missing}"
    # The table stays true: each entry names a permission of the matrix, a role that holds
    # it, says why, and does not also claim a control for the same role.
    for (p, role), reason in EXCEPTIONS.items():
        assert p in PERMISSIONS, f"exception for unknown permission {p}"
        assert role == "*" or allowed(p, role), f"{role} does not hold {p}: drop the exception"
        assert len(reason) > 20, f"exception {p}/{role} needs its reason"
    for p in CONTROLS:
        assert p in PERMISSIONS, f"control for unknown permission {p}"
        holders = [r for r in ALL_ROLES if allowed(p, r)]
        assert any(not excepted(p, r) for r in holders), f"{p}: control listed but all excepted"


def _post(live: LiveServer, path: str, user: str, body: dict[str, Any]) -> dict[str, Any]:
    res = httpx.post(
        f"{live.url}{path}",
        json=body,
        headers={"Authorization": f"Bearer {live.token(user)}"},
        timeout=30,
    )
    assert res.status_code < 300, res.text
    return res.json()


def actionable_problem(live: LiveServer, user: str) -> int:
    """A problem on which the API gives ``user`` an action; for a township office with none,
    one is reported at its problem's place and assigned to it (setup through the API)."""
    items = live.api("/api/v1/problems", user=user, state=OPEN, limit=60)
    for p in items:
        if live.api(f"/api/v1/problems/{p['id']}", user=user)["allowed_actions"]:
            return int(p["id"])
    me = live.api("/api/v1/auth/me", user=user)
    assert me["township_code"] and items, f"{user}: no problem to act on"
    spot = live.api(f"/api/v1/problems/{items[0]['id']}", user="office")
    new = _post(
        live,
        "/api/v1/problems",
        "office",
        {
            "lon": spot["lon"],
            "lat": spot["lat"],
            "category": "other",
            "description": "覆盖测试：交办乡镇",
            "observed_at": f"{date.today().isoformat()}T08:00:00+08:00",
        },
    )
    _post(
        live,
        f"/api/v1/problems/{new['id']}/transitions",
        "office",
        {
            "action": "assign",
            "assignee_township": me["township_code"],
            "due_date": (date.today() + timedelta(days=7)).isoformat(),
        },
    )
    return int(new["id"])


def _visible(page: Any, scope: Any, control: Control) -> bool:
    # Panels fill in after their API calls: a busy test machine answers slowly.
    timeout = 4000 if control.where in ("page", "nav") else 15000
    if isinstance(control.name, tuple):  # any of these names
        name = re.compile("^(" + "|".join(map(re.escape, control.name)) + ")$")
        loc = scope.get_by_role(control.role, name=name)
    else:
        loc = scope.get_by_role(control.role, name=control.name, exact=control.exact)
    try:
        expect(loc.first).to_be_visible(timeout=timeout)
    except AssertionError:
        return False
    return True


def _open_problem(page: Any, live: LiveServer, pid: int) -> Any:
    page.goto(f"{live.url}/#problem-{pid}")
    page.reload()
    page.wait_for_selector("body[data-wb='1']", state="attached")
    expect(page.locator("#panel .panel-title")).to_have_text(f"问题 #{pid}")
    return page.locator("#panel")


@pytest.mark.parametrize("role", sorted(ACCOUNTS))
def test_each_role_sees_a_control_for_each_permission(
    browser: Any, live_server: LiveServer, role: str
) -> None:
    user = ACCOUNTS[role]
    ctx = browser.new_context(
        viewport={"width": 1400, "height": 860}, locale="zh-CN", service_workers="block"
    )
    page = ctx.new_page()
    try:
        open_map(page, live_server)
        sign_in(page, user, workbench=True)
        nav = page.get_by_role("navigation", name="工作台")
        by_place: dict[str, list[tuple[str, Control]]] = {}
        for perm, controls in wanted(role).items():
            for c in controls:
                by_place.setdefault(c.where, []).append((perm, c))
        absent: list[str] = []

        def check(scope: Any, items: list[tuple[str, Control]]) -> None:
            for perm, c in items:
                if not _visible(page, scope, c):
                    absent.append(f"{perm}: {c.where} {c.role} {c.name!r}")

        # The page: the layer control shows its checkboxes while hovered.
        page.hover(".leaflet-control-layers")
        check(page, by_place.pop("page", []))
        check(nav, by_place.pop("nav", []))
        for where in sorted(by_place):
            items = by_place[where]
            if where.startswith("screen:"):
                screen = where.split(":", 1)[1]
                page.goto(f"{live_server.url}/#wb-{screen}")
                page.reload()
                page.wait_for_selector("body[data-wb='1']", state="attached")
                ws = page.locator(f"#wb-workspace [data-screen='{screen}']")
                check(ws, items)
            elif where == "problem:actionable":
                check(
                    _open_problem(page, live_server, actionable_problem(live_server, user)), items
                )
            elif where == "problem:open":
                pid = live_server.api("/api/v1/problems", user=user, state=OPEN, limit=1)[0]["id"]
                check(_open_problem(page, live_server, pid), items)
            elif where == "neighbor":
                page.goto(f"{live_server.url}/#neighbor-511400")
                page.reload()
                page.wait_for_selector("body[data-wb='1']", state="attached")
                check(page.locator("#panel"), items)
            else:
                raise AssertionError(f"unknown place {where}")
        assert absent == [], f"{role} ({user}) misses controls: {absent}"
    finally:
        ctx.close()
