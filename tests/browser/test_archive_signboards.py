"""一河一档 and 公示牌 in the browser (issue 19): the office edits a river's archive in the
workbench; a signboard's public page names the new chief after a change, and the signboard
screen marks the printed board out of date."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LiveServer, open_map, river_id, sign_in

pytestmark = pytest.mark.browser


def test_office_edits_the_archive(page: Any, live_server: LiveServer) -> None:
    dadu = river_id(live_server, "大渡河")
    open_map(page, live_server)
    sign_in(page, "office", workbench=True)
    page.goto(f"{live_server.url}/#wb-archive?river={dadu}")
    expect(page.get_by_label("河流", exact=True)).to_have_value(str(dadu))
    expect(page.get_by_role("heading", name="河段与河长")).to_be_visible()
    page.get_by_role("button", name="编辑档案").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("所属流域").fill("长江流域岷江水系")
    dialog.get_by_label("主要问题（每行一条）").fill("河道采砂管理\n沿岸面源污染")
    dialog.get_by_role("button", name="确定").click()
    expect(page.get_by_text("长江流域岷江水系")).to_be_visible()
    expect(page.get_by_text("沿岸面源污染")).to_be_visible()
    assert live_server.api(f"/api/v1/rivers/{dadu}/archive", "office")["main_problems"] == [
        "河道采砂管理",
        "沿岸面源污染",
    ]


def test_a_chief_change_shows_on_the_page_and_marks_the_board(
    page: Any, live_server: LiveServer
) -> None:
    boards = live_server.api("/api/v1/signboards", "office")
    assert boards and all(b["print_status"] == "current" for b in boards)  # the demo printed them
    board = next(b for b in boards if b["reach_code"].startswith("511111"))
    reach = live_server.api(f"/api/v1/reaches/{board['reach_id']}")
    old = reach["chiefs"][0]

    page.goto(board["page_url"])
    expect(page.locator("#chiefs")).to_contain_text(old["name"])
    report = page.get_by_role("button", name="举报")
    assert f"reach={board['reach_code']}" in (report.get_attribute("href") or "")

    headers = {"Authorization": f"Bearer {live_server.token('office')}"}
    today = date.today()
    new = httpx.post(
        f"{live_server.url}/api/v1/officials",
        json={"name": "浏览器新河长", "title": "沙湾区副区长"},
        headers=headers,
    ).json()
    httpx.post(
        f"{live_server.url}/api/v1/assignments/{old['assignment_id']}/end",
        json={"valid_to": (today - timedelta(days=1)).isoformat()},
        headers=headers,
    ).raise_for_status()
    httpx.post(
        f"{live_server.url}/api/v1/assignments",
        json={
            "reach_id": board["reach_id"],
            "official_id": new["id"],
            "role": "river_chief",
            "level": "county",
            "valid_from": today.isoformat(),
        },
        headers=headers,
    ).raise_for_status()

    page.reload()
    expect(page.locator("#chiefs")).to_contain_text("浏览器新河长")
    expect(page.locator("#chiefs")).not_to_contain_text(old["name"])

    open_map(page, live_server)
    sign_in(page, "office", workbench=True)
    page.goto(f"{live_server.url}/#wb-signboards")
    page.get_by_label("印制状态", exact=True).select_option("out_of_date")
    row = page.get_by_role("row").filter(has_text=board["number"])
    expect(row).to_contain_text("已过期")
    expect(row.get_by_role("button", name=f"打印 A4 {board['number']}")).to_be_visible()
