"""The map in a real browser: loads clean, draws rivers, opens panels, works on a phone."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LiveServer, click_river, map_point, open_map, river_id

pytestmark = pytest.mark.browser


def test_map_loads_with_no_failed_requests_and_draws_rivers(
    page: Any, live_server: LiveServer
) -> None:
    open_map(page, live_server)
    page.wait_for_timeout(300)  # late requests (labels, legend) would show up here
    page.watch.assert_clean()
    for name in ("岷江", "青衣江", "大渡河"):
        rid = river_id(live_server, name)
        segments = live_server.api("/api/v1/segments.geojson", river_id=rid)["features"]
        # one visible path per segment (plus an invisible, wider one for touch)
        drawn = page.locator(f"path.seg.river-{rid}").count()
        assert drawn == len(segments) > 0, name
    # Leshan's 11 counties and the neighbour cities are drawn and labelled.
    labels = page.locator(".leaflet-tooltip.label.county").all_inner_texts()
    assert "沙湾区" in labels and len(labels) == 11
    assert "眉山市" in page.locator(".leaflet-tooltip.label.neighbor").all_inner_texts()
    # The data notice names the sources and the map review number.
    page.click(".notice summary")
    notice = page.inner_text("#notice-text")
    assert "审图号" in notice and "GSHHG" in notice and "不具权威性" in notice


def test_click_minjiang_opens_panel_naming_its_chief(page: Any, live_server: LiveServer) -> None:
    open_map(page, live_server)
    rid = river_id(live_server, "岷江")
    click_river(page, live_server, rid)
    panel = page.locator("#panel")
    panel.wait_for(state="visible")
    expect(page.locator(".panel-title")).to_contain_text("岷江")
    chiefs = page.locator(".chiefs li.chief").all_inner_texts()
    assert any("刘建平" in c for c in chiefs), chiefs
    body = page.inner_text("#panel")
    assert "市水务局" in body  # its liaison unit
    assert "乐山境内长度" in body and "市中区" in body
    page.watch.assert_clean()


def test_river_panel_on_a_chosen_date_shows_that_days_chief(
    page: Any, live_server: LiveServer
) -> None:
    """Responsibility follows time: the panel's date picker asks the roster for that day."""
    rid = river_id(live_server, "岷江")
    assignments = live_server.api("/api/v1/assignments", river_id=rid)
    city = [a for a in assignments if a["role"] == "river_chief" and a["level"] == "city"]
    earliest = min(a["valid_from"] for a in city)
    open_map(page, live_server)
    click_river(page, live_server, rid)
    page.wait_for_selector(".chiefs li.chief")
    # The day before anyone held the post: no municipal chief is listed.
    day_before = page.evaluate(
        "d => new Date(new Date(d + 'T00:00:00Z') - 86400000).toISOString().slice(0, 10)",
        earliest,
    )
    page.fill("#panel input[type=date]", day_before)
    page.dispatch_event("#panel input[type=date]", "change")
    expect(page.locator("#panel .chiefs")).to_have_count(0)
    expect(page.locator("#panel")).not_to_contain_text("刘建平")
    page.watch.assert_clean()


def test_click_county_lists_its_rivers(page: Any, live_server: LiveServer) -> None:
    open_map(page, live_server)
    areas = live_server.api("/api/v1/map/areas.geojson", zoom=8)["features"]
    shawan = next(f for f in areas if f["properties"]["code"] == "511111")
    lon, lat = shawan["properties"]["label_at"]
    x, y = map_point(page, lon, lat)
    page.mouse.click(x, y + 14)  # just below the label, on the county's polygon
    expect(page.locator(".panel-title")).to_have_text("沙湾区")
    assert "大渡河" in page.inner_text("#panel")
    page.watch.assert_clean()


def test_english_switch(page: Any, live_server: LiveServer) -> None:
    open_map(page, live_server)
    assert page.inner_text(".brand") == "乐山市河湖长制地图"
    page.click("#btn-lang")
    assert page.inner_text(".brand") == "Leshan River Chief Map"
    assert page.evaluate("document.documentElement.lang") == "en"
    page.click("#btn-lang")
    assert page.inner_text(".brand") == "乐山市河湖长制地图"


def test_phone_layout(browser: Any, live_server: LiveServer) -> None:
    ctx = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        service_workers="block",
    )
    try:
        page = ctx.new_page()
        open_map(page, live_server)
        # Nothing wider than the screen; the map fills most of it.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        box = page.locator("#map").bounding_box()
        assert box["width"] == 390 and box["height"] > 500
        click_river(page, live_server, river_id(live_server, "岷江"))
        panel = page.locator("#panel")
        panel.wait_for(state="visible")
        sheet = panel.bounding_box()
        # A bottom sheet over the lower part of the map, as wide as the screen.
        assert sheet["width"] == 390 and sheet["y"] > 844 * 0.35
        assert sheet["y"] + sheet["height"] <= 844 + 1
        page.wait_for_selector(".chiefs li.chief")
        assert "刘建平" in panel.inner_text()
        # Buttons are big enough to tap.
        assert page.locator("#btn-login").bounding_box()["height"] >= 32
    finally:
        ctx.close()


def test_period_choice_reloads_coverage(page: Any, live_server: LiveServer) -> None:
    open_map(page, live_server)
    year = page.input_value("#period-year")
    with page.expect_response(
        lambda r: "/api/v1/coverage/segments.geojson" in r.url and f"to={year}-06-30" in r.url
    ) as pieces:
        page.select_option("#period-kind", "h1")
    assert pieces.value.ok
    # The panel's numbers are the API's for that half-year.
    rid = river_id(live_server, "岷江")
    row = live_server.api(
        "/api/v1/coverage", river_id=rid, **{"from": f"{year}-01-01", "to": f"{year}-06-30"}
    )[0]
    click_river(page, live_server, rid)
    big = page.locator("#panel p.big")
    expect(big).to_contain_text(f"{row['coverage'] * 100:.1f}%")
    assert float(big.get_attribute("data-coverage")) == pytest.approx(row["coverage"])
    page.watch.assert_clean()


def test_public_problem_click_shows_public_fields_only(page: Any, live_server: LiveServer) -> None:
    problems = live_server.api("/api/v1/problems.geojson", state="assigned,rectifying")["features"]
    if not problems:
        pytest.fail("the demo has no open problems: the problems demo step did not run")
    p = problems[0]
    open_map(page, live_server)
    lon, lat = p["geometry"]["coordinates"]
    page.evaluate(
        "([lat, lon]) => window.riverchiefMap.setView([lat, lon], 16, { animate: false })",
        [lat, lon],
    )
    page.mouse.click(*map_point(page, lon, lat))
    expect(page.locator(".panel-title")).to_have_text(f"问题 #{p['id']}")
    body = page.inner_text("#panel")
    assert p["properties"]["category_label"] in body and "办理记录" not in body
    page.watch.assert_clean()  # no 401 from asking for what the public may not read
