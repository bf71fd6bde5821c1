"""The printable joint-meeting brief: content, offline assets, and a real headless Chromium."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.cross_boundary.conftest import river_ids
from tests.support import Headers

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def test_brief_lists_crossings_meetings_and_open_items(
    client: TestClient, auth_headers: Headers, db: Session, joint_meeting: Callable[..., Any]
) -> None:
    office = auth_headers("office")
    rivers = river_ids(db)
    agreement = client.post(
        "/api/v1/cooperation-agreements",
        headers=office,
        json={
            "title": "岷江青衣江联防联控合作协议",
            "signed_on": "2024-03-01",
            "rotation": ["511100", "511400"],
            "river_ids": [rivers["岷江"], rivers["青衣江"]],
        },
    ).json()
    joint_meeting(
        agreement["id"],
        date(2025, 4, 8),
        "511100",
        items=(("清理岷江入境断面漂浮物", date(2025, 5, 31)),),
    )
    response = client.get(
        "/api/v1/cross-boundary/511400/brief",
        params={"from": "2025-01-01", "to": "2025-12-31"},
        headers=auth_headers("meishan"),
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "@page { size: A4" in page
    assert "乐山市—眉山市 跨界河湖联席会议简报" in page
    crossings = page[page.index('id="brief-crossings"') : page.index('id="brief-reaches"')]
    assert "岷江" in crossings and "青衣江" in crossings and "入境" in crossings
    assert "大渡河" not in page
    assert "岷江青衣江联防联控合作协议" in page
    assert "下次召集：眉山市" in page  # Leshan convened in 2025, Meishan is next
    items = page[page.index('id="brief-items"') :]
    assert "清理岷江入境断面漂浮物" in items and "逾期" in items
    # Offline: every script and stylesheet is ours; nothing from a CDN.
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert "/static/vendor/leaflet/leaflet.js" in sources
    assert all(s.startswith("/static/") or s == "data:," for s in sources), sources
    assert "cdn" not in page.lower()
    csp = response.headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in csp


def test_brief_is_scoped_like_the_view(client: TestClient, auth_headers: Headers) -> None:
    assert client.get("/api/v1/cross-boundary/511400/brief").status_code == 401
    assert (
        client.get(
            "/api/v1/cross-boundary/511500/brief", headers=auth_headers("meishan")
        ).status_code
        == 403
    )
    assert (
        client.get(
            "/api/v1/cross-boundary/000000/brief", headers=auth_headers("office")
        ).status_code
        == 404
    )


@pytest.mark.browser
def test_brief_renders_offline_in_chromium(brief_server: str, committed_agreement: int) -> None:
    from playwright.sync_api import sync_playwright

    token = httpx.post(
        f"{brief_server}/api/v1/auth/token",
        data={"username": "meishan", "password": "riverchief-demo"},
    ).json()
    failed: list[str] = []
    external: list[str] = []
    errors: list[str] = []
    bad: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(
                extra_http_headers={"Authorization": f"Bearer {token['access_token']}"},
                locale="zh-CN",
            )
            page = context.new_page()
            page.on("requestfailed", lambda r: failed.append(f"{r.url} {r.failure}"))
            page.on(
                "request",
                lambda r: not r.url.startswith((brief_server, "data:")) and external.append(r.url),
            )
            page.on("response", lambda r: r.status >= 400 and bad.append(f"{r.status} {r.url}"))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.goto(
                f"{brief_server}/api/v1/cross-boundary/511400/brief?from=2025-01-01&to=2025-12-31",
                wait_until="networkidle",
            )
            page.wait_for_selector(".leaflet-container .leaflet-overlay-pane path")
            drawn = page.locator(".leaflet-overlay-pane path").count()
            tables = page.locator("main.rc-brief table").count()
            agreement_shown = page.locator("text=测试协议（浏览器）").count()
            pdf = page.pdf(format="A4")
        finally:
            browser.close()
    assert failed == [] and bad == [] and external == [] and errors == [], (
        failed,
        bad,
        external,
        errors,
    )
    # Shared border, rivers, 3+ reaches and 3 crossings (2 岷江/青衣江 inflows) are paths.
    assert drawn >= 6, drawn
    # crossings, 交接断面水质清单, water-quality agenda, reaches, patrols, problems,
    # meetings, open items
    assert tables == 8 and agreement_shown == 1
    assert pdf.startswith(b"%PDF")
