"""驾驶舱 (issue 17): /dashboard draws its charts in Chromium with no failed request, each
figure opens the list behind it, and the page prints as the A4 通报 of its period."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LiveServer, open_map, sign_in

pytestmark = pytest.mark.browser


def _open_dashboard(page: Any, live_server: LiveServer, query: str = "") -> None:
    page.goto(f"{live_server.url}/dashboard{query}")
    page.wait_for_selector("body[data-ready='1']", timeout=30000)


def test_public_dashboard_draws_its_charts(page: Any, live_server: LiveServer) -> None:
    _open_dashboard(page, live_server)
    expect(page.locator("#dash-audience")).to_have_text("公开版")
    # Every chart container holds an SVG drawn by ECharts, with bars or sectors in it.
    charts = page.locator(".chart")
    assert charts.count() >= 5
    for i in range(charts.count()):
        assert charts.nth(i).locator("svg path").count() > 3, charts.nth(i).get_attribute(
            "aria-label"
        )
    # The public sees no compliance and no monthly patrol counts.
    expect(page.get_by_role("img", name="河长履职（按层级）")).to_have_count(0)
    page.watch.assert_clean()


def test_staff_dashboard_figures_open_their_lists(page: Any, live_server: LiveServer) -> None:
    open_map(page, live_server)
    sign_in(page, "office")
    _open_dashboard(page, live_server)
    expect(page.locator("#dash-audience")).to_have_text("工作人员版")
    expect(page.get_by_role("img", name="河长履职（按层级）")).to_be_visible()
    expect(page.get_by_role("img", name="各月巡河次数")).to_be_visible()
    data = live_server.api("/api/v1/stats/overview", user="office")
    total = data["problems"]["total"]
    link = page.get_by_role("link", name="问题总数")
    assert link.get_attribute("href") == total["list"]
    link.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"共 {total['value']} 条")
    expect(dialog).to_contain_text(total["list"])
    page.get_by_role("button", name="关闭").click()
    page.watch.assert_clean()


def test_dashboard_refuses_a_reversed_range_and_prints_its_period(
    page: Any, live_server: LiveServer
) -> None:
    _open_dashboard(page, live_server)
    before = page.inner_text("#dash-period")
    page.get_by_label("起始日期").fill("2025-06-01")
    page.get_by_label("截止日期").fill("2025-03-01")
    page.get_by_role("button", name="更新").click()
    assert page.eval_on_selector("#dash-from", "el => el.validationMessage") != ""
    assert page.inner_text("#dash-period") == before  # nothing reloaded
    page.get_by_label("截止日期").fill("2025-12-31")
    page.get_by_role("button", name="更新").click()
    expect(page.locator("#dash-period")).to_contain_text("2025-06-01 至 2025-12-31")
    page.wait_for_selector("body[data-ready='1']")
    page.emulate_media(media="print")
    assert page.locator("#dash-form").is_hidden()
    expect(page.locator("#dash-generated")).to_contain_text("生成时间")
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF" and len(pdf) > 20_000
    page.watch.assert_clean()
