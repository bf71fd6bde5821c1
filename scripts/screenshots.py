"""Screenshots of the map for the README, made with the browser-test tooling.

    RIVERCHIEF_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:54339/postgres \\
        .venv/bin/python scripts/screenshots.py

Starts a throwaway demo server (as the browser tests do), signs in as the office, opens
岷江's panel, and writes docs/screenshots/map-desktop.png (1280x800) and map-phone.png
(390x844, 2x), and the workbench's problems table with the action panel
(docs/screenshots/workbench-problems.png, 1440x860).
"""

from __future__ import annotations

import sys
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

OUT = ROOT / "docs" / "screenshots"


def shoot(browser: Any, server: LiveServer, name: str, **context: Any) -> Path:
    ctx = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", service_workers="block", **context
    )
    try:
        page = ctx.new_page()
        open_map(page, server)
        sign_in(page, "office")
        page.wait_for_selector("path.problem-marker")
        click_river(page, server, river_id(server, "岷江"))
        page.wait_for_selector("#panel .chiefs li.chief")
        page.wait_for_selector("#panel svg.chart", state="attached")
        page.wait_for_timeout(400)
        path = OUT / name
        page.screenshot(path=str(path))
        return path
    finally:
        ctx.close()


def shoot_workbench(browser: Any, server: LiveServer, name: str) -> Path:
    """The workbench: the problems table with a reported problem's action panel (issue 15)."""
    ctx = browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        service_workers="block",
        viewport={"width": 1440, "height": 860},
    )
    try:
        page = ctx.new_page()
        open_map(page, server)
        sign_in(page, "office", workbench=True)
        page.get_by_role("navigation", name="工作台").get_by_role("link", name="问题").click()
        page.locator("#wb-workspace").get_by_label("状态", exact=True).select_option("reported")
        page.get_by_role("table", name="问题").locator("tbody tr").first.click()
        page.wait_for_selector("#panel .wb-actions button[data-action]")
        page.wait_for_timeout(400)
        path = OUT / name
        page.screenshot(path=str(path))
        return path
    finally:
        ctx.close()


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


if __name__ == "__main__":
    main()
