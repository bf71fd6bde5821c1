"""The four lists in the browser (issue 16, point 2): the liaison unit edits 岷江's lists of this
year in the forms; the office downloads their XLSX by clicking (a valid workbook holding the
edit) and uploads it back unchanged, and no difference is reported."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from service.settings import normalise_database_url
from tests.browser.conftest import LiveServer, open_map, sign_in
from tests.browser.test_governance_meetings import open_governance, switch_user

pytestmark = pytest.mark.browser

MINJIANG = 2


def draft_lists(live_server: LiveServer, year: int) -> None:
    """This year's lists of 岷江 as a draft of its liaison unit.

    The demo issues every year's lists in February and the API never reopens issued lists,
    so the issued ones are removed first (the only step outside the API)."""
    engine = create_engine(normalise_database_url(live_server.database_url))
    with engine.begin() as conn:
        conn.execute(
            text("DELETE FROM annual_list WHERE river_id = :r AND year = :y"),
            {"r": MINJIANG, "y": year},
        )
    engine.dispose()
    row = {"due_date": f"{year}-12-31"}
    body = {
        "targets": [
            {
                **row,
                "category": "水质",
                "content": "岷江出境断面水质稳定达到Ⅲ类",
                "measure": "达标率100%",
            },
            {**row, "category": "岸线", "content": "河湖“四乱”问题动态清零", "measure": "清零"},
        ],
        "problems": [
            {
                **row,
                "category": "非法采砂",
                "content": "部分河段存在夜间偷采",
                "county_code": "511112",
                "responsible_unit": "五通桥区水务局",
                "measure": "联合执法、视频监控",
            }
        ],
        "tasks": [
            {
                **row,
                "category": "执法",
                "content": "开展采砂专项整治",
                "responsible_unit": "市水务局",
                "cooperating_units": "市公安局",
            }
        ],
        "responsibilities": [
            {
                "category": "市级",
                "responsible_unit": "市水务局",
                "responsible_person": "刘建平",
                "content": "牵头协调岷江管理保护",
            }
        ],
    }
    res = httpx.put(
        f"{live_server.url}/api/v1/rivers/{MINJIANG}/annual-lists/{year}",
        json=body,
        headers={"Authorization": f"Bearer {live_server.token('liaison')}"},
        timeout=30,
    )
    res.raise_for_status()


def test_liaison_edits_lists_office_round_trips_the_xlsx(
    page: Any, live_server: LiveServer, tmp_path: Path
) -> None:
    year = date.today().year
    draft_lists(live_server, year)
    open_map(page, live_server)
    sign_in(page, "liaison", workbench=True)
    screen = open_governance(page, "四张清单与一河一策")
    expect(screen.get_by_label("河流", exact=True)).to_have_value(str(MINJIANG))
    expect(screen).to_contain_text(f"岷江{year}年度四张清单")
    expect(screen).to_contain_text("起草中")

    edited = "达标率100%（浏览器修改）"
    screen.get_by_role("button", name="编辑 目标清单1").click()
    form = page.get_by_role("dialog", name="编辑：目标清单")
    expect(form.get_by_label("指标值")).to_have_value("达标率100%")
    form.get_by_label("指标值").fill(edited)
    form.get_by_role("button", name="确定").click()
    changes = screen.get_by_role("region", name="变化")
    expect(changes).to_contain_text("修改：1 处变化")
    expect(changes).to_contain_text(f"“达标率100%” → “{edited}”")
    screen.get_by_role("button", name="新增行：任务清单").click()
    form = page.get_by_role("dialog", name="新增行：任务清单")
    form.get_by_label("任务内容").fill("建设岷江沿岸视频监控")
    form.get_by_label("责任单位").fill("市水务局")
    form.get_by_role("button", name="确定").click()
    expect(changes).to_contain_text("任务清单第2行：新增 建设岷江沿岸视频监控")
    lists = live_server.api(f"/api/v1/rivers/{MINJIANG}/annual-lists/{year}", "office")
    assert lists["targets"][0]["measure"] == edited
    assert [t["content"] for t in lists["tasks"]][-1] == "建设岷江沿岸视频监控"

    switch_user(page, "office")
    screen = open_governance(page, "四张清单与一河一策")
    with page.expect_download() as info:
        screen.get_by_role("button", name="下载清单XLSX").click()
    saved = tmp_path / "lists.xlsx"
    info.value.save_as(saved)
    book = load_workbook(io.BytesIO(saved.read_bytes()))
    assert book.sheetnames == ["目标清单", "问题清单", "任务清单", "责任清单"]
    cells = [c for row in book["目标清单"].iter_rows(values_only=True) for c in row]
    assert edited in cells and "岷江" in str(cells[0])

    screen.get_by_label("清单文件（XLSX）").set_input_files(str(saved))
    screen.get_by_role("button", name="上传清单XLSX").click()
    changes = screen.get_by_role("region", name="变化")
    expect(changes).to_contain_text("上传：与上一版本相比无变化")
    after = live_server.api(f"/api/v1/rivers/{MINJIANG}/annual-lists/{year}", "office")
    for kind in ("targets", "problems", "tasks", "responsibilities"):
        assert after[kind] == lists[kind]
    assert after["history"][-1]["actor_role"] == "office"  # the upload was a revision
    page.watch.assert_clean()
