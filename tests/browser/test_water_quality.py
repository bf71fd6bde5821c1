"""Water quality in the browser: sections on the map, the office imports readings (preview,
refused rows, import) and registers a section, the river panel's chart, the neighbour view."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LiveServer, click_river, open_map, river_id, sign_in

pytestmark = pytest.mark.browser


def _last_month_20th() -> date:
    first = date.today().replace(day=1)
    return (first - timedelta(days=1)).replace(day=20)


def test_office_imports_readings_and_registers_a_section(
    page: Any, live_server: LiveServer, tmp_path: Path
) -> None:
    sections = live_server.api("/api/v1/sections")
    assert len(sections) >= 7  # the demo's sections at the crossings and inside the city
    open_map(page, live_server)
    expect(page.locator("path.wq-section")).to_have_count(len(sections))
    sign_in(page, "office")
    page.get_by_role("button", name="水质断面").click()
    table = page.get_by_role("table", name="断面")
    expect(table.locator("tbody tr")).to_have_count(len(sections))

    day = _last_month_20th().isoformat()
    good = tmp_path / "readings.csv"
    good.write_text(
        f"断面编码,监测日期,监测类型,溶解氧(mg/L),氨氮(mg/L),总磷(mg/L)\nDEMO-DD-03,{day},加密,6.1,3.0,0.1\n",
        encoding="utf-8",
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(
        f"断面编码,监测日期,溶解氧(μg/L),氨氮(mg/L)\nNOPE,{day},7,0.2\nDEMO-DD-03,{day},7,-1\n",
        encoding="utf-8",
    )
    upload = page.get_by_label("监测数据文件（CSV 或 XLSX，中文表头）")
    page.watch.expected_status.add(422)
    upload.set_input_files(str(bad))
    page.get_by_role("button", name="导入", exact=True).click()
    refused = page.locator("table.refused tbody tr")
    expect(refused).to_have_count(3)  # the unit (row 1), the unknown section, the negative
    rows = refused.all_inner_texts()
    assert rows[0].startswith("1") and rows[1].startswith("2") and rows[2].startswith("3")

    upload.set_input_files(str(good))
    page.get_by_role("button", name="预览").click()
    expect(page.get_by_text("可导入 1 行（预览，未保存）")).to_be_visible()
    page.get_by_role("button", name="导入", exact=True).click()
    expect(page.get_by_text("已导入 1 行")).to_be_visible()
    # NH3-N 3.0 pulls the month's mean to class V, worse than 沙湾大桥's target III.
    expect(page.get_by_text("超标：沙湾大桥")).to_be_visible()
    readings = live_server.api(
        f"/api/v1/sections/{next(s['id'] for s in sections if s['code'] == 'DEMO-DD-03')}/readings",
        "office",
        **{"from": day, "to": day},
    )
    assert len(readings) == 1 and readings[0]["kind"] == "adhoc"

    form = page.get_by_role("form", name="登记断面")
    form.get_by_label("断面名称").fill("浏览器测试断面")
    form.get_by_label("断面编码").fill("T-BROWSER-1")
    form.get_by_label("经度（WGS84）").fill("103.6262")
    form.get_by_label("纬度（WGS84）").fill("29.3396")
    form.get_by_role("button", name="登记").click()
    expect(page.get_by_text("已登记 浏览器测试断面：大渡河")).to_be_visible()
    expect(page.locator("path.wq-section")).to_have_count(len(sections) + 1)
    assert any(s["code"] == "T-BROWSER-1" for s in live_server.api("/api/v1/sections"))
    page.watch.assert_clean()


def test_river_panel_chart_and_neighbour_list(page: Any, live_server: LiveServer) -> None:
    open_map(page, live_server)
    click_river(page, live_server, river_id(live_server, "岷江"))
    block = page.locator("#panel section.sub", has_text="断面水质（各月类别）")
    expect(block.locator("svg.wq-grid")).to_be_visible(timeout=15000)
    assert block.locator("svg.wq-grid rect").count() >= 3  # 岷江's three demo sections
    sign_in(page, "meishan")
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    listed = page.locator("#panel section.sub", has_text="交接断面水质清单")
    expect(listed.locator("svg.wq-grid")).to_be_visible(timeout=15000)
    assert "悦来渡口" in listed.inner_text() and "木城镇" in listed.inner_text()
    page.watch.assert_clean()
