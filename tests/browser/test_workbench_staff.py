"""The workbench's staff screens in Chromium (issue 15): accounts, patrols, compliance, the
audit log, exports, and downloads by a click through single-use links. The tests drive the UI
only; the API is used to find data and to check what the clicks did."""

from __future__ import annotations

import io
import re
import uuid
from pathlib import Path
from typing import Any

import gpxpy
import httpx
import pyogrio
import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import LiveServer, open_map, sign_in

pytestmark = pytest.mark.browser


def _screen(page: Any, name: str) -> Any:
    page.get_by_role("navigation", name="工作台").get_by_role("link", name=name, exact=True).click()
    host = page.locator("#wb-workspace")
    expect(host).to_be_visible()
    return host


def _get(live: LiveServer, path: str, user: str) -> httpx.Response:
    return httpx.get(
        f"{live.url}{path}", headers={"Authorization": f"Bearer {live.token(user)}"}, timeout=60
    )


def test_office_creates_an_account_and_disables_it(page: Any, live_server: LiveServer) -> None:
    name = f"wb-{uuid.uuid4().hex[:8]}"
    open_map(page, live_server)
    sign_in(page, "office", workbench=True)
    ws = _screen(page, "账号管理")
    expect(ws.get_by_role("status").first).to_contain_text("共")
    ws.get_by_role("button", name="新建账号").click()
    dialog = page.get_by_role("dialog", name="新建账号")
    dialog.get_by_label("用户名").fill(name)
    dialog.get_by_label("角色").select_option(label="区县河长办")
    dialog.get_by_label("区县代码").fill("511111")
    dialog.get_by_role("button", name="确定").click()
    status = page.locator("#wb-users-status")
    expect(status).to_contain_text(f"已创建账号 {name}，初始密码：")
    password = re.search(r"初始密码：(\S+)（", status.inner_text())
    assert password is not None
    signed = httpx.post(
        f"{live_server.url}/api/v1/auth/token",
        data={"username": name, "password": password.group(1)},
    )
    assert signed.status_code == 200  # the shown password works
    ws.get_by_label("用户名").fill(name)
    ws.get_by_label("用户名").press("Enter")
    row = ws.locator("tbody tr", has_text=name)
    expect(row).to_contain_text("区县河长办")
    expect(row).to_contain_text("区县代码 511111")
    row.get_by_role("button", name=f"停用账号 {name}").click()
    page.get_by_role("dialog", name=f"停用账号 {name}").get_by_role("button", name="确定").click()
    expect(ws.locator("tbody tr", has_text=name)).to_contain_text("已停用")
    account = _get(live_server, f"/api/v1/users?q={name}", "office").json()
    assert [(a["username"], a["disabled"]) for a in account] == [(name, True)]
    token = signed.json()["access_token"]
    me = httpx.get(
        f"{live_server.url}/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}
    )
    assert me.status_code == 401  # its session ended with it
    page.watch.assert_clean()


def test_office_downloads_compliance_xlsx_and_a_problems_geopackage(
    page: Any, live_server: LiveServer, tmp_path: Path
) -> None:
    open_map(page, live_server)
    sign_in(page, "office", workbench=True)
    ws = _screen(page, "巡河履职")
    expect(ws.locator("tbody tr").first).to_be_visible(timeout=15000)
    with page.expect_download() as got:
        ws.get_by_role("button", name="下载履职 XLSX").click()
    path = tmp_path / got.value.suggested_filename
    got.value.save_as(path)
    assert path.suffix == ".xlsx"
    sheet = load_workbook(io.BytesIO(path.read_bytes())).active
    assert sheet is not None and sheet.max_row > 1

    ws = _screen(page, "数据导出")
    with page.expect_download() as got:
        ws.get_by_role("button", name="下载问题 GeoPackage").click()
    gpkg = tmp_path / got.value.suggested_filename
    got.value.save_as(gpkg)
    assert gpkg.suffix == ".gpkg"
    frame = pyogrio.read_dataframe(gpkg)
    listed = _get(live_server, "/api/v1/problems?limit=1", "office")
    assert len(frame) == int(listed.headers["X-Total-Count"]) > 0
    assert set(frame.geometry.geom_type) == {"Point"}
    page.watch.assert_clean()


def test_patrols_table_track_gpx_raw_file_and_void(
    page: Any, live_server: LiveServer, tmp_path: Path
) -> None:
    invalid = _get(live_server, "/api/v1/patrols?valid=false&voided=false&limit=1", "office")
    patrol = invalid.json()[0]
    pid = patrol["id"]
    open_map(page, live_server)
    sign_in(page, "office", workbench=True)
    ws = _screen(page, "巡河记录")
    total = int(_get(live_server, "/api/v1/patrols?limit=1", "office").headers["X-Total-Count"])
    expect(ws.locator("#patrols-total")).to_contain_text(f"共 {total} 条")
    ws.get_by_label("是否有效").select_option(label="无效")
    row = ws.locator("tbody tr", has=page.get_by_role("button", name=f"作废巡河 #{pid}"))
    expect(row).to_contain_text("无效")
    row.get_by_role("button", name=f"在地图上显示巡河 #{pid} 轨迹").click()
    expect(ws.get_by_text(f"巡河 #{pid} 的轨迹已显示在地图上")).to_be_visible()
    with page.expect_download() as got:
        row.get_by_role("button", name=f"下载巡河 #{pid} GPX").click()
    gpx_path = tmp_path / "track.gpx"
    got.value.save_as(gpx_path)
    parsed = gpxpy.parse(gpx_path.read_text())
    assert parsed.get_points_no() == patrol["points"] or parsed.get_points_no() > 1
    raw = _get(live_server, f"/api/v1/patrols/{pid}/raw", "office")
    if raw.status_code == 200:
        with page.expect_download() as got:
            row.get_by_role("button", name=f"下载巡河 #{pid} 原始文件").click()
        raw_path = tmp_path / "raw"
        got.value.save_as(raw_path)
        assert raw_path.read_bytes() == raw.content
    row.get_by_role("button", name=f"作废巡河 #{pid}").click()
    dialog = page.get_by_role("dialog", name=f"作废巡河记录 #{pid}")
    dialog.get_by_label("作废原因").fill("浏览器测试：重复上传")
    dialog.get_by_role("button", name="确定").click()
    expect(ws.get_by_text(f"巡河 #{pid} 已作废")).to_be_visible()
    after = _get(live_server, f"/api/v1/patrols/{pid}", "office").json()
    assert after["voided_at"] and after["void_reason"] == "浏览器测试：重复上传"
    page.watch.assert_clean()


def test_audit_log_filtered_by_object_and_action(page: Any, live_server: LiveServer) -> None:
    expected = _get(live_server, "/api/v1/audit?table=user_account&action=insert&limit=1", "office")
    total = int(expected.headers["X-Total-Count"])
    assert total > 0
    open_map(page, live_server)
    sign_in(page, "office", workbench=True)
    ws = _screen(page, "审计日志")
    ws.get_by_label("对象（表）").fill("user_account")
    ws.get_by_label("对象（表）").press("Enter")
    ws.get_by_label("操作", exact=True).select_option(label="新增")
    expect(ws.locator("#audit-total")).to_contain_text(f"共 {total} 条")
    rows = ws.locator("tbody tr")
    expect(rows.first).to_contain_text("user_account")
    for text in rows.all_inner_texts():
        assert "user_account" in text and "新增" in text
    page.watch.assert_clean()


def test_meishan_opens_the_brief_by_clicking(page: Any, live_server: LiveServer) -> None:
    open_map(page, live_server)
    sign_in(page, "meishan")
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    link = page.locator("#panel").get_by_role("button", name="联席会议简报")
    expect(link).to_be_visible(timeout=15000)
    with page.expect_popup() as popup:
        link.click()
    brief = popup.value
    brief.wait_for_load_state()
    expect(brief.locator("body")).to_contain_text("眉山")
    assert "sign in required" not in brief.content()
    assert "download_token=" in brief.url and "/api/v1/cross-boundary/511400/brief" in brief.url
    page.watch.assert_clean()
