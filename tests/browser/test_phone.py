"""The phone in the field (issue 17) at 390x844 with touch and emulated geolocation: the
field actions in view, the recording view growing with each position, a reload resuming."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LiveServer, PageWatch, open_map, river_id, sign_in
from tests.browser.test_field import IDB_ALL, densify, longest_segment

pytestmark = pytest.mark.browser

FIELD_ACTIONS = ("开始巡河", "上传轨迹", "报告问题", "我的待办")


@pytest.fixture
def minjiang(live_server: LiveServer) -> list[tuple[float, float]]:
    seg = longest_segment(live_server, river_id(live_server, "岷江"))
    return densify(seg["geometry"]["coordinates"], 10.0)[:10]


@pytest.fixture
def phone(
    browser: Any, live_server: LiveServer, minjiang: list[tuple[float, float]]
) -> Iterator[Any]:
    lon, lat = minjiang[0]
    ctx = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        geolocation={"latitude": lat, "longitude": lon, "accuracy": 8},
        permissions=["geolocation"],
        service_workers="block",
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    page = ctx.new_page()
    page.watch = PageWatch(page, live_server.url)
    page.ctx = ctx
    try:
        yield page
    finally:
        ctx.close()


def _inside_viewport(page: Any, name: str) -> None:
    button = page.get_by_role("button", name=name, exact=True)
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box is not None, name
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (name, box)
    assert box["y"] >= 0 and box["y"] + box["height"] <= 844, (name, box)


def test_field_actions_are_all_in_view_on_a_phone(phone: Any, live_server: LiveServer) -> None:
    open_map(phone, live_server)
    sign_in(phone, "patrol")
    for name in FIELD_ACTIONS:
        _inside_viewport(phone, name)
    # No sideways scrolling anywhere on the page.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    # Sign-out is in the menu at the top, not next to the field actions.
    signout = phone.locator("#btn-login")
    expect(signout).to_be_hidden()
    phone.get_by_role("button", name="菜单").click()
    expect(signout).to_be_visible()
    expect(signout).to_contain_text("退出")
    bar_top = phone.locator("#field-bar").bounding_box()["y"]
    assert signout.bounding_box()["y"] + signout.bounding_box()["height"] < bar_top - 200
    phone.watch.assert_clean()


def test_recording_shows_position_time_and_track(
    phone: Any, live_server: LiveServer, minjiang: list[tuple[float, float]]
) -> None:
    open_map(phone, live_server)
    sign_in(phone, "patrol")
    phone.get_by_role("button", name="开始巡河").click()
    view = phone.get_by_role("region", name="巡河记录中")
    expect(view).to_be_visible()
    expect(phone.locator("path.rec-position")).to_have_count(1)
    expect(phone.locator("path.rec-accuracy")).to_have_count(1)
    timer = view.get_by_role("timer")
    first = timer.inner_text()
    for lon, lat in minjiang[1:]:
        phone.ctx.set_geolocation({"latitude": lat, "longitude": lon, "accuracy": 8})
        phone.wait_for_timeout(300)
    expect(timer).not_to_have_text(first)
    assert timer.inner_text() > first  # HH:MM:SS counts up
    # The track is a drawn line with as many vertices as positions (more than two).
    track = phone.locator("path.rec-track")
    expect(track).to_have_count(1)
    d = track.get_attribute("d")
    assert d and d.count("L") >= 2, d
    expect(view).to_contain_text("岷江")  # the river being covered
    expect(view).not_to_contain_text("0.00 公里")
    # It says whether the screen is kept awake (headless Chromium may refuse: then why).
    expect(view.locator(".rec-awake")).to_contain_text("屏幕常亮")
    phone.watch.assert_clean()


def test_reload_mid_recording_resumes_it(
    phone: Any, live_server: LiveServer, minjiang: list[tuple[float, float]]
) -> None:
    open_map(phone, live_server)
    sign_in(phone, "patrol")
    phone.get_by_role("button", name="开始巡河").click()
    for lon, lat in minjiang[1:5]:
        phone.ctx.set_geolocation({"latitude": lat, "longitude": lon, "accuracy": 8})
        phone.wait_for_timeout(300)
    before = phone.evaluate(IDB_ALL)
    assert len(before) == 1 and before[0]["status"] == "recording"
    count = len(before[0]["points"])
    assert count >= 4
    phone.reload()
    phone.wait_for_selector("body[data-ready='1']")
    view = phone.get_by_role("region", name="巡河记录中")
    expect(view).to_be_visible()
    expect(view).to_contain_text("已恢复")
    expect(phone.get_by_role("button", name="结束巡河")).to_be_visible()
    # Same recording, positions kept, and new positions add to it.
    for lon, lat in minjiang[5:]:
        phone.ctx.set_geolocation({"latitude": lat, "longitude": lon, "accuracy": 8})
        phone.wait_for_timeout(300)
    after = phone.evaluate(IDB_ALL)
    assert [r["client_id"] for r in after] == [before[0]["client_id"]]
    assert after[0]["status"] == "recording" and len(after[0]["points"]) > count
    assert phone.locator("path.rec-track").get_attribute("d").count("L") >= count
    phone.watch.assert_clean()
