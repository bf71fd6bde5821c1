"""Small faults of issue 17, in Chromium: a river click in one or two requests, a period
change refreshing the open panel, an impossible range refused, server errors in Chinese,
离线 when offline, the chief picker with names and posts, a loading spinner."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LiveServer, click_river, open_map, river_id, sign_in
from tests.browser.test_field import densify, gpx_along, longest_segment

pytestmark = pytest.mark.browser


def test_river_click_asks_one_or_two_requests(page: Any, live_server: LiveServer) -> None:
    open_map(page, live_server)
    sign_in(page, "office")
    page.wait_for_timeout(500)  # the reloads after sign-in have settled
    asked: list[str] = []
    page.on("request", lambda r: "/api/v1/" in r.url and asked.append(r.url))
    click_river(page, live_server, river_id(live_server, "岷江"))
    expect(page.locator("#panel p.big")).to_be_visible()
    expect(page.locator("#panel .chiefs li.chief").first).to_contain_text("刘建平")
    page.wait_for_timeout(800)
    panel_requests = [u for u in asked if "/tiles/" not in u]
    assert 1 <= len(panel_requests) <= 2, panel_requests
    assert any("/api/v1/stats/rivers/" in u for u in panel_requests)
    page.watch.assert_clean()


def test_period_change_refreshes_the_open_panel(page: Any, live_server: LiveServer) -> None:
    open_map(page, live_server)
    year = page.input_value("#period-year")
    click_river(page, live_server, river_id(live_server, "岷江"))
    heading = page.locator("#panel .sub h3").first
    expect(heading).to_contain_text(f"{year}-01-01 – {year}-12-31")
    page.select_option("#period-kind", "h1")
    expect(heading).to_contain_text(f"{year}-01-01 – {year}-06-30")
    # A reversed custom range is refused in the form; the panel keeps the last good period.
    page.select_option("#period-kind", "custom")
    page.fill("#period-from", f"{year}-05-01")
    page.fill("#period-to", f"{year}-03-01")
    page.dispatch_event("#period-to", "change")
    assert page.eval_on_selector("#period-to", "el => el.validationMessage") != ""
    expect(page.locator("#period-to")).to_have_attribute("aria-invalid", "")
    page.wait_for_timeout(500)
    assert "12-31" not in heading.inner_text()
    page.watch.assert_clean()


def test_offline_says_so_and_what_still_works(browser: Any, live_server: LiveServer) -> None:
    ctx = browser.new_context(locale="zh-CN", service_workers="block")
    try:
        page = ctx.new_page()
        open_map(page, live_server)
        ctx.set_offline(True)
        note = page.locator("#notice-offline")
        expect(note).to_contain_text("离线")
        expect(note).to_contain_text("巡河")
        ctx.set_offline(False)
        expect(note).to_have_count(0)
    finally:
        ctx.close()


def test_chief_picker_and_a_refused_track(
    page: Any, live_server: LiveServer, tmp_path: Any
) -> None:
    open_map(page, live_server)
    sign_in(page, "chief")
    center = page.evaluate(
        "(() => { const c = window.riverchiefMap.getCenter(); return [c.lat, c.lng]; })()"
    )
    page.get_by_role("button", name="上传轨迹").click()
    option = page.locator("#upload-chief option")
    expect(option).to_have_count(1)
    expect(option).to_have_text("刘建平 · 岷江市级河长（本人）")
    # A track far outside Leshan (Beijing): refused with the reason in Chinese.
    start = datetime.now(UTC).replace(microsecond=0)
    far = [(116.40 + i * 0.0005, 39.90) for i in range(40)]
    gpx = tmp_path / "beijing.gpx"
    gpx.write_text(gpx_along(far, start, 10))
    page.watch.expected_status.add(422)
    page.set_input_files("#form-upload input[name=file]", str(gpx))
    page.click("#form-upload button[type=submit]")
    alert = page.locator("#upload-result [role=alert]")
    expect(alert).to_contain_text("轨迹完全在乐山市范围之外")
    assert "outside" not in alert.inner_text().lower()
    after = page.evaluate(
        "(() => { const c = window.riverchiefMap.getCenter(); return [c.lat, c.lng]; })()"
    )
    assert after == pytest.approx(center)  # the map stayed where it was
    # 3 km of 大渡河 on foot yesterday: a patrol, but not of the chief's own river (岷江).
    seg = longest_segment(live_server, river_id(live_server, "大渡河"))
    walk = densify(seg["geometry"]["coordinates"], 20.0)[:150]
    other = tmp_path / "dadu.gpx"
    other.write_text(gpx_along(walk, start - timedelta(days=1), 14))
    page.set_input_files("#form-upload input[name=file]", str(other))
    page.click("#form-upload button[type=submit]")
    verdict = page.locator("#upload-result .upload-result .verdict")
    expect(verdict).to_contain_text("无效巡河", timeout=20000)
    expect(verdict).to_contain_text("本人责任河流：岷江")
    page.watch.assert_clean()


SEEN_SPINNER = """
window.__spinner = [];
new MutationObserver(() => {
  const el = document.getElementById('map-loading');
  const ready = (document.body && document.body.dataset.ready) || '';
  if (el) window.__spinner.push([el.getAttribute('role'), el.textContent, ready]);
}).observe(document, { childList: true, subtree: true });
"""


def test_map_shows_a_spinner_until_its_layers_are_drawn(page: Any, live_server: LiveServer) -> None:
    page.add_init_script(SEEN_SPINNER)
    open_map(page, live_server)
    seen = page.evaluate("window.__spinner")
    assert seen and seen[0] == ["status", "地图加载中…", ""], seen
    expect(page.locator("#map-loading")).to_have_count(0)
    page.watch.assert_clean()


def test_without_a_basemap_river_names_follow_the_lines(page: Any, live_server: LiveServer) -> None:
    open_map(page, live_server)
    assert page.locator(".river-along").count() == 0  # the whole city: one label per river
    page.evaluate("window.riverchiefMap.setView([29.55, 103.77], 13)")
    labels = page.locator(".river-along-text")
    expect(labels.first).to_be_attached()
    names = set(labels.all_inner_texts())
    assert "岷江" in names and "大渡河" in names, names
    assert page.locator(".leaflet-control-scale").count() == 1
    page.watch.assert_clean()
