"""Governance in the browser (issue 16): a 巡河现场会议 from creation to issued minutes, and a
decided item from assignment to verification, driven through the UI only (the API sets up
and checks)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LiveServer, open_map, sign_in

pytestmark = pytest.mark.browser

MINJIANG_CHIEF = "刘建平"  # 岷江's municipal chief in the demo; the `chief` account is his


def post(live_server: LiveServer, path: str, user: str, body: dict[str, Any]) -> Any:
    res = httpx.post(
        f"{live_server.url}{path}",
        json=body,
        headers={"Authorization": f"Bearer {live_server.token(user)}"},
        timeout=30,
    )
    res.raise_for_status()
    return res.json()


def switch_user(page: Any, username: str) -> None:
    page.click("#btn-login")  # signed in: this signs out
    expect(page.locator("#btn-login")).to_have_text("登录")
    sign_in(page, username, workbench=True)


def open_governance(page: Any, screen: str) -> Any:
    """Open a governance screen from the workbench navigation (its 河长制工作 group)."""
    nav = page.get_by_role("navigation", name="工作台")
    nav.get_by_role("link", name=screen, exact=True).click()
    screen_el = page.locator(".wb-screen[data-ready='1']")
    expect(screen_el).to_be_visible()
    return screen_el


def open_meeting(page: Any, live_server: LiveServer, meeting_id: int) -> Any:
    """The address of a meeting, as a link elsewhere (the to-do, a duty) would open it."""
    page.goto(f"{live_server.url}/#meeting-{meeting_id}")
    article = page.locator(f"article[data-meeting='{meeting_id}']")
    expect(article).to_be_visible()
    return article


def test_onsite_meeting_minutes_drafted_approved_and_issued(
    page: Any, live_server: LiveServer
) -> None:
    open_map(page, live_server)
    sign_in(page, "office", workbench=True)
    open_governance(page, "会议与纪要")
    page.get_by_role("button", name="新建会议").click()
    form = page.get_by_role("dialog", name="新建会议")
    form.get_by_label("会议类型").select_option(label="巡河现场会议")
    title = "岷江巡河现场会议（浏览器测试）"
    form.get_by_label("会议名称").fill(title)
    form.get_by_label("地点").fill("五通桥区")
    chief_option = form.get_by_label("主持人").locator("option", has_text=MINJIANG_CHIEF).first
    form.get_by_label("主持人").select_option(chief_option.get_attribute("value"))
    form.get_by_label("组织单位（巡河现场会议、流域专题会议）").select_option(label="市水务局")
    form.get_by_label("涉及河流").select_option(label="岷江")
    form.get_by_label("参会单位及人员（每行一个）").fill("市水务局\n五通桥区")
    form.get_by_role("button", name="确定").click()
    article = page.get_by_role("article", name=title)
    expect(article).to_be_visible()
    meeting_id = int(article.get_attribute("data-meeting"))

    article.get_by_role("button", name="起草纪要").click()
    page.get_by_role("dialog", name=re.compile("起草会议纪要")).get_by_label("纪要正文").fill(
        "一、五通桥段岸线垃圾月底前清理完毕。"
    )
    page.get_by_role("button", name="确定").click()
    minutes = page.get_by_role("region", name="会议纪要")
    expect(minutes).to_contain_text("起草中")
    expect(minutes.get_by_role("button", name="审定")).to_have_count(0)  # the office may not

    # The chief who chaired approves them, signed in, from the meeting's address.
    switch_user(page, "chief")
    article = open_meeting(page, live_server, meeting_id)
    minutes = article.get_by_role("region", name="会议纪要")
    expect(minutes.get_by_role("button", name="印发")).to_have_count(0)
    minutes.get_by_role("button", name="审定").click()
    page.get_by_role("button", name="确定").click()
    expect(minutes).to_contain_text("已审定")

    switch_user(page, "office")
    article = open_meeting(page, live_server, meeting_id)
    minutes = article.get_by_role("region", name="会议纪要")
    minutes.get_by_role("button", name="印发").click()
    page.get_by_role("button", name="确定").click()
    expect(minutes).to_contain_text("已印发")
    api_minutes = live_server.api(f"/api/v1/meetings/{meeting_id}/minutes", "office")
    number = api_minutes["document_number"]
    assert re.fullmatch(rf"乐总河长办发〔{date.today().year}〕\d+号", number)
    expect(minutes.locator(".docno")).to_have_text(number)
    assert [e["action"] for e in api_minutes["history"]] == ["draft", "approve", "issue"]
    page.watch.assert_clean()


def test_decided_item_assigned_done_by_unit_and_verified(
    page: Any, live_server: LiveServer
) -> None:
    units = {u["name"]: u["id"] for u in live_server.api("/api/v1/liaison-units", "office")}
    chief_id = next(
        c["id"]
        for c in live_server.api("/api/v1/rivers/2")["chiefs"]
        if c["name"] == MINJIANG_CHIEF
    )
    meeting = post(
        live_server,
        "/api/v1/meetings",
        "office",
        {
            "kind": "onsite",
            "title": "岷江巡河现场会议（议定事项测试）",
            "held_on": date.today().isoformat(),
            "chair_official_id": chief_id,
            "convener_unit_id": units["市水务局"],
            "river_ids": [2],
        },
    )
    item_title = "清理五通桥段岸线垃圾（浏览器测试）"
    open_map(page, live_server)
    sign_in(page, "office", workbench=True)
    article = open_meeting(page, live_server, meeting["id"])
    article.get_by_role("button", name="交办议定事项").click()
    form = page.get_by_role("dialog", name="交办议定事项")
    form.get_by_label("事项内容").fill(item_title)
    form.get_by_label("责任单位").select_option(label="市水务局")
    form.get_by_label("办理期限").fill((date.today() + timedelta(days=20)).isoformat())
    form.get_by_role("button", name="确定").click()
    row = article.locator("tr", has_text=item_title)
    expect(row).to_contain_text("已交办")
    row.get_by_role("button", name=f"督办 {item_title}").click()
    page.get_by_role("button", name="确定").click()
    expect(row).to_contain_text("督办中")
    expect(row.get_by_role("button", name=f"复核 {item_title}")).to_have_count(0)

    # The unit finds it among the items assigned to it and reports it done.
    switch_user(page, "liaison")
    screen = open_governance(page, "议定事项")
    screen.get_by_role("searchbox").fill(item_title)
    row = screen.locator("tr", has_text=item_title)
    row.get_by_role("button", name=f"办结 {item_title}").click()
    form = page.get_by_role("dialog", name=f"办结：{item_title}")
    form.get_by_label("说明").fill("已清理完毕，附现场照片。")
    form.get_by_role("button", name="确定").click()
    expect(screen.locator("tr", has_text=item_title)).to_contain_text("已完成")

    switch_user(page, "office")
    article = open_meeting(page, live_server, meeting["id"])
    row = article.locator("tr", has_text=item_title)
    row.get_by_role("button", name=f"复核 {item_title}").click()
    page.get_by_role("button", name="确定").click()
    expect(row).to_contain_text("已复核")
    items = live_server.api("/api/v1/action-items", "office", meeting_id=meeting["id"])
    assert [(i["title"], i["state"]) for i in items] == [(item_title, "verified")]
    assert [e["action"] for e in items[0]["history"]] == ["assign", "supervise", "done", "verify"]
    assert items[0]["assignee_unit_id"] == units["市水务局"]
    page.watch.assert_clean()
