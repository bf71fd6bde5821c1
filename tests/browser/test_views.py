"""Cross-boundary mode, the folium river export, and the installable offline shell."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LiveServer, PageWatch, open_map, river_id, sign_in

pytestmark = pytest.mark.browser


def drawn_rivers(page: Any) -> set[int]:
    classes = page.eval_on_selector_all("path.seg", "els => els.map(e => e.getAttribute('class'))")
    return {int(c.split("river-")[1].split()[0]) for c in classes}


def test_neighbour_mode_shows_only_shared_rivers(page: Any, live_server: LiveServer) -> None:
    summary = live_server.api("/api/v1/cross-boundary")
    meishan = next(n for n in summary if n["neighbor_code"] == "511400")
    shared = {r["river_id"] for r in meishan["rivers"]}
    # Issue 5: 岷江 and 青衣江 cross into Meishan; 大渡河 does not.
    assert shared == {river_id(live_server, "岷江"), river_id(live_server, "青衣江")}
    open_map(page, live_server)
    all_rivers = drawn_rivers(page)
    assert river_id(live_server, "大渡河") in all_rivers
    sign_in(page, "office")
    page.select_option("#neighbor-select", "511400")
    expect(page.locator(".panel-title")).to_contain_text("眉山市")
    assert drawn_rivers(page) == shared
    listed = page.locator("#panel li.shared-river").all_inner_texts()
    assert sorted(t.split(" ·")[0] for t in listed) == sorted(["岷江", "青衣江"])
    # Staff see the boundary reaches with coverage and the printable brief.
    expect(page.locator("#panel ul.reaches li").first).to_be_visible(timeout=15000)
    expect(page.locator("path.reach").first).to_be_attached()
    # The brief is a button (a plain link carries no token: issue 15, static/js/wb/open.js).
    expect(page.locator("#panel").get_by_role("button", name="联席会议简报")).to_be_visible()
    crossings = sum(len(r["crossings"]) for r in meishan["rivers"])
    assert page.locator(".crossing").count() >= crossings > 0
    # Leaving the mode brings every river back.
    page.select_option("#neighbor-select", "")
    assert drawn_rivers(page) == all_rivers
    page.watch.assert_clean()


def test_neighbor_viewer_opens_in_its_own_city(page: Any, live_server: LiveServer) -> None:
    open_map(page, live_server)
    sign_in(page, "meishan")
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    expect(page.locator(".panel-title")).to_contain_text("眉山市")
    assert river_id(live_server, "大渡河") not in drawn_rivers(page)
    # Its view (not another city's) comes with the brief link; no upload or record buttons.
    brief = page.locator("#panel").get_by_role("button", name="联席会议简报")
    expect(brief).to_be_visible(timeout=15000)
    assert page.locator("#btn-upload").is_hidden() and page.locator("#btn-record").is_hidden()
    page.watch.assert_clean()


def test_folium_river_map_renders_offline(page: Any, live_server: LiveServer) -> None:
    rid = river_id(live_server, "岷江")
    page.goto(f"{live_server.url}/api/v1/rivers/{rid}/map.html")
    page.wait_for_selector(".leaflet-container path.leaflet-interactive")
    segments = live_server.api("/api/v1/segments.geojson", river_id=rid)["features"]
    # counties (11) + the whole river + its segments
    assert page.locator("path.leaflet-interactive").count() >= len(segments) + 1
    assert "刘建平" in page.inner_text(".rc-river-header")
    page.watch.assert_clean()


def test_installable_shell_opens_offline(browser: Any, live_server: LiveServer) -> None:
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, service_workers="allow")
    try:
        page = ctx.new_page()
        watch = PageWatch(page, live_server.url)
        open_map(page, live_server)
        manifest = page.evaluate(
            "async () => (await fetch(document.querySelector('link[rel=manifest]').href)).json()"
        )
        assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
        assert {i["sizes"] for i in manifest["icons"]} >= {"192x192", "512x512"}
        # ``ready`` never settles when the install fails (e.g. Cache.addAll refusing a
        # duplicate in SHELL): race it with a timer so the test fails instead of hanging.
        scope = page.evaluate(
            "() => Promise.race([navigator.serviceWorker.ready.then((r) => r.scope),"
            " new Promise((_, no) => setTimeout(() => no(new Error('service worker did not"
            " install in 30 s')), 30000))])"
        )
        assert scope == live_server.url + "/"
        watch.assert_clean()
        ctx.set_offline(True)
        page.reload()
        # The shell and the public geometry come from the service worker's cache: boundaries
        # and rivers are drawn without signal (coverage and problems need the network).
        page.wait_for_selector("body[data-ready='1']", timeout=20000)
        expect(page.locator(".brand")).to_have_text("乐山市河湖长制地图")
        assert page.locator("path.seg").count() > 0
        assert page.locator(".leaflet-tooltip.label.county").count() == 11
    finally:
        ctx.close()


def test_todo_panel_lists_what_the_api_says(page: Any, live_server: LiveServer) -> None:
    todo = live_server.api("/api/v1/me/todo", user="chief")
    open_map(page, live_server)
    assert page.locator("#btn-todo").is_hidden()  # the public has no to-do list
    expect(page.locator("#link-report")).to_have_attribute("href", "/report")
    sign_in(page, "chief")
    page.click("#btn-todo")
    expect(page.locator(".panel-title")).to_have_text("我的待办")
    items = page.locator("#panel ul.todo li")
    expect(items).to_have_count(len(todo["items"]))
    if todo["items"]:
        first = todo["items"][0]
        expect(items.first).to_contain_text(first["title"])
        expect(items.first).to_contain_text(first["due_date"])
    page.watch.assert_clean()


def test_tracks_layer_only_for_roles_that_may_read_tracks(
    page: Any, live_server: LiveServer
) -> None:
    open_map(page, live_server)
    page.hover(".leaflet-control-layers")
    overlays = page.locator(".leaflet-control-layers-overlays label")
    expect(overlays.filter(has_text="问题")).to_have_count(1)
    expect(overlays.filter(has_text="巡河轨迹")).to_have_count(0)  # the public: no routes
    assert page.locator("path.track").count() == 0
    sign_in(page, "office")
    page.hover(".leaflet-control-layers")
    tracks = overlays.filter(has_text="巡河轨迹")
    expect(tracks).to_have_count(1)
    tracks.locator("input").check()
    expect(page.locator("path.track").first).to_be_attached(timeout=20000)
    page.watch.assert_clean()
