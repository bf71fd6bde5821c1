"""Reaches on the map (by level as one zooms in), the chain of responsibility on a click, and
the office cutting, appointing and ending a reach in the browser (issue 18)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LiveServer, map_point, open_map, river_id, sign_in

pytestmark = pytest.mark.browser

SHAWAN_DADU = (103.6201, 29.3399)


def _zoom(page: Any, lon: float, lat: float, zoom: int) -> None:
    page.evaluate(
        "([lat, lon, z]) => window.riverchiefMap.setView([lat, lon], z, { animate: false })",
        [lat, lon, zoom],
    )


def test_reaches_by_zoom_and_the_chain_on_a_click(page: Any, live_server: LiveServer) -> None:
    open_map(page, live_server)
    assert page.locator("path.reach-lvl").count() == 0  # the city: whole rivers only
    lon, lat = SHAWAN_DADU
    _zoom(page, lon, lat, 11)
    expect(page.locator("path.reach-lvl.lvl-county").first).to_be_attached()
    _zoom(page, lon, lat, 15)
    expect(page.locator("path.reach-lvl.lvl-village").first).to_be_attached()
    assert page.locator("path.reach-lvl.lvl-county").count() == 0
    # Click the river at the point: the nearest place on 大渡河 the line is drawn at.
    snap = live_server.api(
        "/api/v1/reaches/snap", river_id=river_id(live_server, "大渡河"), lon=lon, lat=lat
    )
    page.mouse.click(*map_point(page, snap["lon"], snap["lat"]))
    expect(page.locator(".panel-title")).to_have_text("谁负责这里")
    chain = page.locator("#panel .chain")
    expect(chain).to_have_attribute("data-levels", "city,county,township,village")
    expect(page.locator("#panel")).to_contain_text("陈晓东")  # 大渡河's municipal chief
    expect(page.locator("#panel ul.chiefs[data-level='village'] li")).to_have_count(1)
    page.watch.assert_clean()


def test_office_cuts_appoints_and_ends_a_reach(page: Any, live_server: LiveServer) -> None:
    rid = river_id(live_server, "岷江")
    reaches = live_server.api("/api/v1/reaches", river_id=rid)
    towns = [r for r in reaches if r["level"] == "township" and r["to_m"] - r["from_m"] > 6000]
    town = next(
        t for t in towns
        if not any(v["parent_id"] == t["id"] and v["from_m"] < t["from_m"] + 2000 for v in reaches)
    )  # fmt: skip
    drawn = live_server.api("/api/v1/reaches.geojson", level="township", river_id=rid)
    feature = next(f for f in drawn["features"] if f["id"] == town["id"])
    geometry = feature["geometry"]
    lines = (
        geometry["coordinates"]
        if geometry["type"] == "MultiLineString"
        else [geometry["coordinates"]]
    )
    line = max(lines, key=len)
    a, b = line[1], line[min(3, len(line) - 1)]  # near the upstream end: no village there
    open_map(page, live_server)
    sign_in(page, "office")
    page.get_by_role("button", name="河段管理").click()
    expect(page.locator("#panel table.reaches tbody tr").first).to_be_visible()
    page.get_by_label("河流").select_option(str(rid))
    expect(page.locator("#panel")).to_contain_text(f"共 {len(reaches)} 个河段")
    page.get_by_role("button", name="切分河段").click()
    dialog = page.locator("dialog.reach-dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_label("级别").select_option("village")
    dialog.get_by_label("乡镇（街道）").select_option(town["admin_code"])
    dialog.get_by_label("村名").fill("浏览器村")
    dialog.get_by_label("岸别").select_option("left")
    # Both ends clicked on the map, snapped to the river.
    _zoom(page, (a[0] + b[0]) / 2, (a[1] + b[1]) / 2, 14)
    dialog.get_by_role("button", name="在地图上点选起止两点").click()
    page.mouse.click(*map_point(page, a[0], a[1]))
    expect(page.locator("path.reach-pick")).to_have_count(1)
    page.mouse.click(*map_point(page, b[0], b[1]))
    expect(dialog).to_be_visible()
    expect(dialog.locator(".hint")).to_contain_text("已选")
    lo = float(dialog.get_by_label("起点里程（米）").input_value())
    hi = float(dialog.get_by_label("终点里程（米）").input_value())
    assert town["from_m"] <= lo < hi <= town["to_m"]
    dialog.get_by_role("button", name="确定").click()
    row = page.locator("#panel tr", has_text="浏览器村")
    expect(row).to_be_visible(timeout=15000)
    made = next(
        r
        for r in live_server.api("/api/v1/reaches", river_id=rid)
        if r["village_name"] == "浏览器村"
    )
    assert made["bank"] == "left" and made["parent_id"] == town["id"]
    assert abs(made["from_m"] - lo) < 1 and abs(made["to_m"] - hi) < 1
    # Appoint a new chief.
    row.get_by_role("button", name=f"任命河长 {made['name']}").click()
    dialog = page.locator("dialog.reach-dialog")
    dialog.get_by_label("新建：填写姓名（姓名）").fill("浏览器村长")
    dialog.get_by_label("职务").fill("村党支部书记")
    dialog.get_by_role("button", name="确定").click()
    expect(page.locator("#panel tr", has_text="浏览器村")).to_contain_text(
        "浏览器村长", timeout=15000
    )
    chiefs = live_server.api(f"/api/v1/reaches/{made['id']}")["chiefs"]
    assert [c["name"] for c in chiefs] == ["浏览器村长"] and chiefs[0]["level"] == "village"
    # End it.
    page.locator("#panel tr", has_text="浏览器村").get_by_role(
        "button", name=f"结束河段 {made['name']}"
    ).click()
    dialog = page.locator("dialog.reach-dialog")
    dialog.get_by_label("截止日期").fill("2099-12-31")
    dialog.get_by_role("button", name="确定").click()
    expect(page.locator("#status")).to_contain_text("已结束", timeout=15000)
    ended = httpx.get(f"{live_server.url}/api/v1/reaches/{made['id']}").json()
    assert ended["valid_to"] == "2099-12-31"
    page.watch.assert_clean()


def test_reach_management_is_for_the_office(page: Any, live_server: LiveServer) -> None:
    open_map(page, live_server)
    assert (
        page.get_by_role("button", name="河段管理").count() == 0
        or page.locator("#btn-reaches").is_hidden()
    )
    sign_in(page, "county")
    assert page.locator("#btn-reaches").is_hidden()
    page.watch.assert_clean()
