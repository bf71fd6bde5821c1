"""Field work in the browser: upload a GPX through the form, record a patrol offline with
emulated positions, report a problem by tapping the map."""

from __future__ import annotations

import itertools
import math
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    LiveServer,
    map_point,
    open_map,
    river_id,
    sign_in,
)

pytestmark = pytest.mark.browser


def densify(coords: list[list[float]], step_m: float) -> list[tuple[float, float]]:
    """Points every ``step_m`` metres along a lon/lat line (spherical distance)."""
    out: list[tuple[float, float]] = [(coords[0][0], coords[0][1])]
    for (x1, y1), (x2, y2) in itertools.pairwise(coords):
        dx = (x2 - x1) * 111_320 * math.cos(math.radians((y1 + y2) / 2))
        dy = (y2 - y1) * 110_540
        n = max(1, int(math.hypot(dx, dy) // step_m))
        out.extend((x1 + (x2 - x1) * i / n, y1 + (y2 - y1) * i / n) for i in range(1, n + 1))
    return out


def longest_segment(live_server: LiveServer, rid: int) -> dict[str, Any]:
    segs = live_server.api("/api/v1/segments.geojson", river_id=rid)["features"]
    return max(segs, key=lambda f: f["properties"]["length_km"])


def gpx_along(points: list[tuple[float, float]], start: datetime, seconds_apart: int) -> str:
    rows = "\n".join(
        f'<trkpt lat="{lat:.6f}" lon="{lon:.6f}"><time>'
        f"{(start + timedelta(seconds=i * seconds_apart)).strftime('%Y-%m-%dT%H:%M:%SZ')}"
        "</time></trkpt>"
        for i, (lon, lat) in enumerate(points)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="test" '
        'xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>\n'
        f"{rows}\n</trkseg></trk></gpx>\n"
    )


def test_gpx_upload_through_the_form_shows_its_coverage(
    page: Any, live_server: LiveServer, tmp_path: Any
) -> None:
    rid = river_id(live_server, "岷江")
    seg = longest_segment(live_server, rid)
    points = densify(seg["geometry"]["coordinates"], 50.0)
    # Cycling pace along the whole segment, in the past week (inside this year's period
    # unless run in the first days of January, when the year picker would need changing).
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    gpx = tmp_path / "minjiang.gpx"
    gpx.write_text(gpx_along(points, start, 10))
    open_map(page, live_server)
    sign_in(page, "chief")
    page.click("#btn-upload")
    expect(page.locator("#upload-chief option")).to_have_count(1)
    page.set_input_files("#form-upload input[name=file]", str(gpx))
    page.click("#form-upload button[type=submit]")
    result = page.locator("#upload-result .upload-result")
    expect(result).to_be_visible(timeout=20000)
    # What the page shows is what the server computed for this patrol.
    patrols = live_server.api("/api/v1/patrols", user="chief", river_id=rid)
    mine = max(patrols, key=lambda p: p["id"])
    minjiang = next(r for r in mine["rivers"] if r["river_id"] == rid)
    river_km = next(r for r in live_server.api("/api/v1/rivers") if r["id"] == rid)["length_km"]
    # Hand check: the whole longest segment covered, the river's other segments not.
    assert minjiang["covered_km"] == pytest.approx(seg["properties"]["length_km"], rel=0.03)
    share = seg["properties"]["length_km"] / river_km
    assert minjiang["coverage"] == pytest.approx(share, abs=0.02)
    line = result.locator(f"li[data-river='{rid}']")
    expect(line).to_contain_text(f"{minjiang['coverage'] * 100:.1f}%")
    expect(line).to_contain_text("岷江")
    # Hours along the chief's own river, tens of km: every validity rule holds.
    assert mine["valid"], mine["invalid_reasons"]
    expect(result.locator(".verdict")).to_have_text("有效巡河")
    # The track is drawn on the map (the chief may read their own track).
    expect(page.locator("path.track.uploaded")).to_have_count(1)
    page.watch.assert_clean()


def test_patrol_recorded_offline_uploads_once_back_online(
    browser: Any, live_server: LiveServer
) -> None:
    rid = river_id(live_server, "岷江")
    seg = longest_segment(live_server, rid)
    points = densify(seg["geometry"]["coordinates"], 2.0)[:12]  # 2 m apart, walking pace
    lon0, lat0 = points[0]
    ctx = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        geolocation={"latitude": lat0, "longitude": lon0, "accuracy": 5},
        permissions=["geolocation"],
        service_workers="block",
        locale="zh-CN",
    )
    try:
        page = ctx.new_page()
        open_map(page, live_server)
        sign_in(page, "patrol")
        page.click("#btn-record")
        expect(page.locator("#btn-record")).to_have_text("结束巡河")
        ctx.set_offline(True)  # into the valley: no signal
        for lon, lat in points[1:]:
            ctx.set_geolocation({"latitude": lat, "longitude": lon, "accuracy": 5})
            page.wait_for_timeout(400)
        expect(page.locator("#record-status")).to_contain_text(f"{len(points)} 个位置")
        page.click("#btn-record")
        expect(page.locator("#record-status")).to_have_attribute("data-pending", "1")
        stored = page.evaluate(IDB_ALL)
        assert len(stored) == 1 and stored[0]["status"] == "pending"
        client_id = stored[0]["client_id"]
        assert len(stored[0]["points"]) == len(points)

        def uploaded() -> list[dict[str, Any]]:
            rows = live_server.api("/api/v1/patrols", user="office", limit=500)
            return [p for p in rows if p["client_id"] == client_id]

        assert uploaded() == []  # nothing left the phone while offline
        ctx.set_offline(False)  # back in signal: the 'online' event uploads it
        expect(page.locator("#panel .upload-result")).to_be_visible(timeout=20000)
        expect(page.locator("#record-status")).to_be_hidden()
        assert page.evaluate(IDB_ALL) == []
        assert len(uploaded()) == 1
        # The response was lost on the way back (say): the phone still has the recording and
        # uploads it again. The client_id makes the server return the same patrol.
        page.evaluate(IDB_PUT, stored[0])
        page.reload()
        page.wait_for_selector("body[data-ready='1']")
        expect(page.locator("#panel .upload-result")).to_contain_text("已上传过", timeout=20000)
        assert page.evaluate(IDB_ALL) == []
        assert len(uploaded()) == 1
        assert uploaded()[0]["points"] >= 2
    finally:
        ctx.close()


IDB_ALL = """() => new Promise((resolve, reject) => {
  const req = indexedDB.open('riverchief', 1);
  req.onsuccess = () => {
    const tx = req.result.transaction('recordings', 'readonly');
    const all = tx.objectStore('recordings').getAll();
    all.onsuccess = () => { req.result.close(); resolve(all.result); };
    all.onerror = () => reject(all.error);
  };
  req.onerror = () => reject(req.error);
})"""

IDB_PUT = """(rec) => new Promise((resolve, reject) => {
  const req = indexedDB.open('riverchief', 1);
  req.onsuccess = () => {
    const tx = req.result.transaction('recordings', 'readwrite');
    tx.objectStore('recordings').put(rec);
    tx.oncomplete = () => { req.result.close(); resolve(true); };
    tx.onerror = () => reject(tx.error);
  };
  req.onerror = () => reject(req.error);
})"""


def test_report_a_problem_by_tapping_the_map_then_open_it(
    page: Any, live_server: LiveServer, tmp_path: Any
) -> None:
    from PIL import Image

    photo = tmp_path / "garbage.jpg"
    Image.new("RGB", (64, 48), (120, 90, 60)).save(photo, "JPEG")
    rid = river_id(live_server, "大渡河")
    seg = next(
        f
        for f in live_server.api("/api/v1/segments.geojson", river_id=rid)["features"]
        if f["properties"]["county_code"] == "511111"
    )
    coords = seg["geometry"]["coordinates"]
    lon, lat = coords[len(coords) // 2]
    description = f"河滩堆放建筑垃圾 {uuid.uuid4().hex[:6]}"
    open_map(page, live_server)
    sign_in(page, "county")
    page.click("#btn-report")
    page.click("#report-pick")
    page.mouse.click(*map_point(page, lon, lat))
    expect(page.locator("#dlg-report")).to_be_visible()
    page.select_option("#report-category", "garbage")
    page.fill("#form-report textarea[name=description]", description)
    page.set_input_files("#form-report input[name=photo]", str(photo))
    markers_before = page.locator("path.problem-marker").count()
    page.click("#form-report button[type=submit]")
    done = page.locator("#report-result .ok")
    expect(done).to_contain_text("大渡河", timeout=15000)
    problem_id = int(done.inner_text().split("#")[1].split("：")[0])
    detail = live_server.api(f"/api/v1/problems/{problem_id}", user="office")
    assert detail["county_code"] == "511111" and detail["river_id"] == rid
    assert len(detail["photos"]) == 1  # the photo went up with the report
    page.click("#form-report .cancel")
    # The new problem is on the map; clicking it shows its details and history.
    marker = page.locator("path.problem-marker")
    expect(marker.first).to_be_visible()
    # The layer reloads after the report: wait for the new marker (not just an old one).
    expect(marker).to_have_count(markers_before + 1, timeout=15000)
    # Zoom in so no other (demo) problem sits under the pointer.
    page.evaluate(
        "([lat, lon]) => window.riverchiefMap.setView([lat, lon], 16, { animate: false })",
        [detail["lat"], detail["lon"]],
    )
    page.mouse.click(*map_point(page, detail["lon"], detail["lat"]))
    expect(page.locator(".panel-title")).to_have_text(f"问题 #{problem_id}")
    expect(page.locator("#panel")).to_contain_text(description)
    expect(page.locator("#panel .history li")).to_have_count(len(detail["history"]))
    expect(page.locator("#panel .history li").first).to_contain_text("已上报")
    page.watch.assert_clean()
