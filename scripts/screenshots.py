"""Screenshots of the map for the README, made with the browser-test tooling.

    RIVERCHIEF_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:54339/postgres \\
        .venv/bin/python scripts/screenshots.py

Starts a throwaway demo server (as the browser tests do), signs in as the office, opens
岷江's panel, and writes docs/screenshots/map-desktop.png (1280x800) and map-phone.png
(390x844, 2x), and the workbench's problems table with the action panel
(docs/screenshots/workbench-problems.png, 1440x860); then the 驾驶舱 (dashboard.png, 1280
wide, signed in as the office) and the phone recording a patrol along 岷江
(phone-recording.png, 390x844, 2x, emulated positions). Chinese text needs fonts-noto-cjk
(scripts/install-system-deps.sh); and a governance screen: a meeting with its issued
minutes and decided items (docs/screenshots/governance-meeting.png).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import (  # noqa: E402
    LiveServer,
    chromium,
    click_river,
    open_map,
    river_id,
    running_server,
    sign_in,
)
from tests.browser.test_field import densify  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


@contextmanager
def map_page(browser: Any, server: LiveServer, **context: Any) -> Iterator[tuple[Any, Any]]:
    """A Chinese (Asia/Shanghai) browser context with the map open; closed on exit."""
    ctx = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", service_workers="block", **context
    )
    try:
        page = ctx.new_page()
        open_map(page, server)
        yield ctx, page
    finally:
        ctx.close()


def snap(page: Any, name: str) -> Path:
    page.wait_for_timeout(400)
    path = OUT / name
    page.screenshot(path=str(path))
    return path


def shoot(browser: Any, server: LiveServer, name: str, **context: Any) -> Path:
    with map_page(browser, server, **context) as (_, page):
        sign_in(page, "office")
        page.wait_for_selector("path.problem-marker")
        minjiang = river_id(server, "岷江")
        if context.get("is_mobile"):
            # The office lands on its to-do; the phone's menu holds the way back to the map.
            workspace = page.locator("#wb-workspace")
            if workspace.is_visible():
                page.get_by_role("button", name="菜单").click()
                page.get_by_role("navigation", name="工作台").get_by_role(
                    "button", name="地图"
                ).click()
                workspace.wait_for(state="hidden", timeout=10000)
                page.get_by_role("button", name="菜单").click()  # and the menu closes
            # A phone's map shows the whole city small, under the bottom bar: zoom to the
            # river first so one of its lines is clear of the controls.
            page.evaluate(
                """(id) => {
                    const map = window.riverchiefMap;
                    map.invalidateSize();
                    const lines = document.querySelectorAll(`path.river-${id}`);
                    let bounds = null;
                    map.eachLayer((l) => {
                        if (l.getBounds && l.getElement && [...lines].includes(l.getElement())) {
                            bounds = bounds ? bounds.extend(l.getBounds()) : l.getBounds();
                        }
                    });
                    if (bounds) map.fitBounds(bounds, { paddingTopLeft: [10, 60],
                                                        paddingBottomRight: [10, 200] });
                }""",
                minjiang,
            )
            page.wait_for_timeout(600)
        click_river(page, server, minjiang)
        page.wait_for_selector("#panel .chiefs li.chief")
        page.wait_for_selector("#panel svg.chart", state="attached")
        return snap(page, name)


def shoot_workbench(browser: Any, server: LiveServer, name: str) -> Path:
    """The workbench: the problems table with a reported problem's action panel (issue 15)."""
    with map_page(browser, server, viewport={"width": 1440, "height": 860}) as (_, page):
        sign_in(page, "office", workbench=True)
        page.get_by_role("navigation", name="工作台").get_by_role("link", name="问题").click()
        page.locator("#wb-workspace").get_by_label("状态", exact=True).select_option("reported")
        page.get_by_role("table", name="问题").locator("tbody tr").first.click()
        page.wait_for_selector("#panel .wb-actions button[data-action]")
        return snap(page, name)


def shoot_governance(browser: Any, server: LiveServer, name: str) -> Path:
    """A governance screen (issue 16): 岷江's 巡河现场会议 with its minutes and decided items."""
    with map_page(browser, server, viewport={"width": 1440, "height": 860}) as (_, page):
        sign_in(page, "office", workbench=True)
        page.get_by_role("navigation", name="工作台").get_by_role("link", name="会议与纪要").click()
        ws = page.locator("#wb-workspace")
        title = f"岷江{date.today().year}年巡河现场会议"  # the demo's, minutes issued in April
        ws.get_by_role("button", name=f"打开 {title}").click()
        page.wait_for_selector("#wb-workspace article.meeting .minutes .docno")
        return snap(page, name)


def shoot_dashboard(browser: Any, server: LiveServer) -> Path:
    with map_page(browser, server, viewport={"width": 1280, "height": 1400}) as (_, page):
        sign_in(page, "office")
        page.goto(server.url + "/dashboard")
        page.wait_for_selector("body[data-ready='1']", timeout=60000)
        return snap(page, "dashboard.png")


def shoot_recording(browser: Any, server: LiveServer) -> Path:
    rid = river_id(server, "岷江")
    segs = server.api("/api/v1/segments.geojson", river_id=rid)["features"]
    line = max(segs, key=lambda f: f["properties"]["length_km"])["geometry"]["coordinates"]
    points = densify(line, 15.0)[:30]  # a walk of about 450 m
    lon0, lat0 = points[0]
    with map_page(
        browser,
        server,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        geolocation={"latitude": lat0, "longitude": lon0, "accuracy": 12},
        permissions=["geolocation"],
    ) as (ctx, page):
        sign_in(page, "patrol")
        page.get_by_role("button", name="开始巡河").click()
        for lon, lat in points[1:]:
            ctx.set_geolocation({"latitude": lat, "longitude": lon, "accuracy": 12})
            page.wait_for_timeout(250)
        page.wait_for_timeout(800)  # with snap's 400 ms: the 1.2 s the track needs to settle
        return snap(page, "phone-recording.png")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with running_server() as server, chromium() as browser:
        print(shoot(browser, server, "map-desktop.png", viewport={"width": 1280, "height": 800}))
        print(shoot_workbench(browser, server, "workbench-problems.png"))
        print(
            shoot(
                browser,
                server,
                "map-phone.png",
                viewport={"width": 390, "height": 844},
                device_scale_factor=2,
                is_mobile=True,
                has_touch=True,
            )
        )
        print(shoot_governance(browser, server, "governance-meeting.png"))
        print(shoot_dashboard(browser, server))
        print(shoot_recording(browser, server))


if __name__ == "__main__":
    main()
