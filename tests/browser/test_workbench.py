"""The staff workbench (issue 15) driven through the UI only; the API only sets up data and
checks the outcome behind the browser's back.

The journey: a problem is reported; the office finds it by searching its id and assigns it
(交办) to 沙湾区 with a due date; the 沙湾区 county user starts and completes the rectification
with a photo; the office verifies (复核通过) and closes (销号); the API then shows it closed with
its whole history.
"""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import LiveServer, PageWatch, open_map, sign_in

SHAWAN = "511111"


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (40, 120, 160)).save(out, "JPEG", quality=85)
    return out.getvalue()


def report_problem(live_server: LiveServer) -> int:
    """A fresh problem on a river in 沙湾区, where a demo problem of that county lies."""
    there = live_server.api("/api/v1/problems", user="office", county=SHAWAN, limit=50)
    spot = next(p for p in there if p["county_code"] == SHAWAN and not p["off_river"])
    res = httpx.post(
        f"{live_server.url}/api/v1/problems",
        json={
            # Beside it, not on it: other tests click the demo problem's marker.
            "lon": spot["lon"] + 0.0004,
            "lat": spot["lat"] + 0.0004,
            "category": "garbage",
            "description": "工作台测试：岸边堆放生活垃圾",
            "observed_at": f"{date.today().isoformat()}T09:00:00+08:00",
        },
        headers={"Authorization": f"Bearer {live_server.token('chief')}"},
        timeout=30,
    )
    res.raise_for_status()
    body = res.json()
    assert body["county_code"] == SHAWAN, body
    return int(body["id"])


@pytest.fixture
def staff_page(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """A new browser context per account (its own sessionStorage: its own sign-in)."""
    contexts: list[Any] = []

    def make(username: str) -> Any:
        ctx = browser.new_context(
            viewport={"width": 1400, "height": 860},
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            service_workers="block",
            accept_downloads=True,
        )
        contexts.append(ctx)
        page = ctx.new_page()
        page.watch = PageWatch(page, live_server.url)
        open_map(page, live_server)
        sign_in(page, username, workbench=True)
        return page

    yield make
    for ctx in contexts:
        ctx.close()


def open_screen(page: Any, name: str) -> None:
    page.get_by_role("navigation", name="工作台").get_by_role("link", name=name).click()
    expect(page.locator("#wb-ws-title")).to_have_text(name)


def find_problem(page: Any, pid: int) -> None:
    """Search the problems table by id and open the row's panel."""
    open_screen(page, "问题")
    box = page.locator("#wb-workspace").get_by_role("searchbox", name="搜索")
    box.fill(str(pid))
    box.press("Enter")
    table = page.get_by_role("table", name="问题")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(page.get_by_role("status").filter(has_text="共 1 条")).to_be_visible()
    table.get_by_role("link", name=f"打开问题 #{pid}").click()
    expect(page.locator("#panel .panel-title")).to_have_text(f"问题 #{pid}")


def act(page: Any, action: str) -> Any:
    """Click the panel's action button; answer the dialog it opens."""
    page.locator("#panel").get_by_role("button", name=action, exact=True).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    return dialog


def state_is(page: Any, label: str) -> None:
    expect(page.locator("#panel .facts")).to_contain_text(label)


def test_problem_from_report_to_closed_through_the_workbench(
    staff_page: Any, live_server: LiveServer
) -> None:
    pid = report_problem(live_server)
    due = (date.today() + timedelta(days=10)).isoformat()

    office = staff_page("office")
    expect(office.locator("#wb-ws-title")).to_have_text("我的待办")  # the start page
    find_problem(office, pid)
    # A new problem offers the office exactly what the workflow allows from 已上报.
    actions = office.locator("#panel .wb-actions button[data-action]")
    expect(actions).to_have_text(["交办", "未整改关闭", "标记重复"])
    dialog = act(office, "交办")
    dialog.get_by_label("责任区县").select_option(label="沙湾区")
    dialog.get_by_label("办理期限").fill(due)
    dialog.get_by_role("button", name="确定").click()
    expect(dialog).to_be_hidden()
    state_is(office, "已交办")
    expect(office.locator("#panel .facts")).to_contain_text(due)
    # The table row follows the change.
    expect(office.get_by_role("table", name="问题").locator("tbody tr")).to_contain_text("已交办")

    county = staff_page("county")
    find_problem(county, pid)
    act(county, "开始整改").get_by_role("button", name="确定").click()
    state_is(county, "整改中")
    dialog = act(county, "整改完成")
    dialog.get_by_label("整改情况").fill("已清运垃圾约 2 立方米")
    dialog.get_by_label("整改照片").set_input_files(
        files=[{"name": "after.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}]
    )
    dialog.get_by_role("button", name="确定").click()
    expect(dialog).to_be_hidden()
    state_is(county, "整改完成")
    photos = county.locator("#panel .wb-problem-photos")
    expect(photos.get_by_role("heading")).to_have_text("照片 (1)")
    expect(photos.locator("img")).to_have_attribute("src", re.compile("^blob:"))

    office.reload()
    office.wait_for_selector("body[data-wb='1']", state="attached")
    find_problem(office, pid)
    act(office, "复核通过").get_by_role("button", name="确定").click()
    state_is(office, "复核通过")
    act(office, "销号").get_by_role("button", name="确定").click()
    state_is(office, "已销号")
    expect(office.locator("#panel .wb-actions button[data-action]")).to_have_text(["重新打开"])

    done = live_server.api(f"/api/v1/problems/{pid}", user="office")
    assert done["state"] == "closed"
    assert [e["action"] for e in done["history"]] == [
        "report",
        "assign",
        "start",
        "rectified",
        "verify",
        "close",
    ]
    assign = done["history"][1]
    assert assign["assignee_county"] == SHAWAN and assign["due_date"] == due
    assert done["history"][3]["note"] == "已清运垃圾约 2 立方米"
    evidence = [p for p in done["photos"] if p["kind"] == "evidence"]
    assert len(evidence) == 1 and evidence[0]["event_seq"] == done["history"][3]["seq"]
    for page in (office, county):
        page.watch.assert_clean()


def test_todo_item_opens_what_it_names(staff_page: Any, live_server: LiveServer) -> None:
    todo = live_server.api("/api/v1/me/todo", user="office")["items"]
    problems = [i for i in todo if i["link"].startswith("/#problem-")]
    assert problems, "the demo office has problems to do"
    office = staff_page("office")
    ws = office.locator("#wb-workspace")
    overdue = sum(1 for i in todo if i["overdue"])
    expect(ws.locator(".wb-summary")).to_have_text(f"共 {len(todo)} 项，其中逾期 {overdue} 项")
    expect(ws.get_by_role("status").filter(has_text="共")).to_have_text(f"共 {len(todo)} 条")
    item = problems[0]
    pid = int(item["link"].rsplit("-", 1)[1])
    row = ws.get_by_role("row").filter(has_text=item["title"]).first
    expect(row).to_contain_text(item["due_date"])
    expect(row).to_contain_text("已逾期" if item["overdue"] else "未逾期")
    row.get_by_role("link", name=item["title"]).click()
    expect(office.locator("#panel .panel-title")).to_have_text(f"问题 #{pid}")
    office.watch.assert_clean()


def test_addresses_open_a_problem_and_the_neighbour_view(
    staff_page: Any, live_server: LiveServer
) -> None:
    pid = live_server.api("/api/v1/problems", user="office", limit=1)[0]["id"]
    office = staff_page("office")
    office.goto(f"{live_server.url}/#problem-{pid}")
    office.reload()
    expect(office.locator("#panel .panel-title")).to_have_text(f"问题 #{pid}")
    office.goto(f"{live_server.url}/#neighbor-511400")
    office.reload()
    expect(office.locator("#panel .panel-title")).to_contain_text("眉山")
    office.watch.assert_clean()


def test_meishan_opens_the_brief_by_a_click(staff_page: Any, live_server: LiveServer) -> None:
    meishan = staff_page("meishan")
    # The neighbour viewer opens into its own city's view.
    expect(meishan.locator("#panel .panel-title")).to_contain_text("眉山")
    with meishan.context.expect_page() as opened:
        meishan.locator("#panel").get_by_role("button", name="联席会议简报").click()
    brief = opened.value
    brief.wait_for_load_state()
    # The brief is rendered on the server (maps, tables): give a busy machine its time.
    expect(brief.locator("body")).to_contain_text("联席会议简报", timeout=30000)
    assert "sign in required" not in brief.content()
    # The signed-in token never went into the address (a single-use link did).
    token = meishan.evaluate("sessionStorage.getItem('riverchief.token')")
    assert token and token not in brief.url
    meishan.watch.assert_clean()


def test_search_shows_a_county_and_a_problem(staff_page: Any, live_server: LiveServer) -> None:
    office = staff_page("office")
    box = office.get_by_role("searchbox", name="地图搜索")
    box.fill("沙湾区")
    box.press("Enter")
    hit = office.get_by_role("list", name="搜索结果").get_by_role("button", name="区县 · 沙湾区")
    hit.click()
    expect(office.locator("#panel .panel-title")).to_have_text("沙湾区")
    expect(office.locator("path.wb-search-mark")).to_have_count(1)
    pid = live_server.api("/api/v1/problems", user="office", limit=1)[0]["id"]
    box.fill(str(pid))
    box.press("Enter")
    # One hit: shown at once, its panel opened.
    expect(office.locator("#panel .panel-title")).to_have_text(f"问题 #{pid}")
    expect(office.locator("path.wb-search-mark")).to_have_count(1)
    office.watch.assert_clean()


def test_office_downloads_problems_as_geopackage_by_a_click(
    staff_page: Any, live_server: LiveServer, tmp_path: Any
) -> None:
    office = staff_page("office")
    open_screen(office, "问题")
    ws = office.locator("#wb-workspace")
    status = ws.get_by_role("status").filter(has_text="共")
    expect(status).not_to_have_text("共 0 条")
    everything = status.inner_text()
    ws.get_by_label("区县", exact=True).select_option(label="沙湾区")
    expect(status).not_to_have_text(everything)  # the filtered count, not the whole list's
    total = int(status.inner_text().split()[1])
    with office.expect_download() as dl:
        ws.get_by_role("button", name="导出 GeoPackage").click()
    path = tmp_path / "problems.gpkg"
    dl.value.save_as(path)
    info = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-so", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert f"Feature Count: {total}" in info, info
    assert "Geometry: Point" in info
    office.watch.assert_clean()


def test_office_adds_a_chief_and_appoints_them_in_the_roster(
    staff_page: Any, live_server: LiveServer
) -> None:
    office = staff_page("office")
    open_screen(office, "河长名录")
    ws = office.locator("#wb-workspace")
    ws.get_by_role("button", name="新增河长").click()
    dialog = office.get_by_role("dialog")
    dialog.get_by_label("姓名").fill("名录测试河长")
    dialog.get_by_label("职务").fill("测试副区长")
    dialog.get_by_role("button", name="确定").click()
    expect(dialog).to_be_hidden()
    ws.get_by_role("button", name="新增任命").click()
    dialog = office.get_by_role("dialog")
    dialog.get_by_label("河流").select_option(label="青衣江")
    dialog.get_by_label("河长", exact=True).select_option(label="名录测试河长（测试副区长）")
    dialog.get_by_role("button", name="确定").click()
    expect(dialog).to_be_hidden()
    row = office.get_by_role("table", name="任命记录").locator("tbody tr").first
    expect(row).to_contain_text("名录测试河长")
    official = next(
        o for o in live_server.api("/api/v1/officials", limit=10000) if o["name"] == "名录测试河长"
    )
    made = [
        a
        for a in live_server.api("/api/v1/assignments", limit=10000)
        if a["official_id"] == official["id"]
    ]
    assert len(made) == 1 and made[0]["level"] == "city" and made[0]["valid_to"] is None
    office.watch.assert_clean()


def test_office_downloads_the_compliance_xlsx_by_a_click(
    staff_page: Any, live_server: LiveServer, tmp_path: Any
) -> None:
    office = staff_page("office")
    open_screen(office, "巡河履职")
    with office.expect_download() as dl:
        office.locator("#wb-workspace").get_by_role("button", name="下载履职 XLSX").click()
    path = tmp_path / "compliance.xlsx"
    dl.value.save_as(path)
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(rows) > 1 and any(isinstance(v, str) and v for v in rows[0])
    office.watch.assert_clean()
