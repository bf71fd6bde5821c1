"""The map at province size (issue 22): segments, problems and areas come from vector tiles.

A small synthetic province (``riverchief demo province`` with few rivers and some patrols) in
its own database, served by uvicorn with ``RIVERCHIEF_MAP_TILE_MODE_SEGMENTS`` below its
segment count, so the page takes its province-size path on a province database.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from service.settings import REPO_ROOT, normalise_database_url
from tests.browser.conftest import DEFAULT_TEST_SERVER, PageWatch, _env, serving

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def province_server() -> Iterator[tuple[str, str]]:
    admin_url = os.environ.get("RIVERCHIEF_TEST_DATABASE_URL", DEFAULT_TEST_SERVER)
    admin = create_engine(normalise_database_url(admin_url), isolation_level="AUTOCOMMIT")
    name = f"rc_province_{uuid.uuid4().hex[:10]}"
    url = make_url(str(admin.url)).set(database=name).render_as_string(hide_password=False)
    env = {**_env(url), "RIVERCHIEF_MAP_TILE_MODE_SEGMENTS": "100"}
    log = Path(f"/tmp/{name}.log")
    try:
        subprocess.run(
            [sys.executable, "-m", "service.cli", "demo", "province", "--database-url", url,
             "--cities", "2", "--counties", "6", "--rivers", "60", "--patrols", "400"],
            env=env, cwd=REPO_ROOT, check=True, capture_output=True,
        )  # fmt: skip
        with serving(env, log) as base:
            yield base, url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_province_map_draws_segments_from_tiles_and_clicks_open_the_river(
    browser: Any, province_server: tuple[str, str]
) -> None:
    base, url = province_server
    config = httpx.get(f"{base}/api/v1/map-config").json()
    assert config["tile_mode"] is True
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="zh-CN", service_workers="block"
    )
    page = context.new_page()
    watch = PageWatch(page, base)
    watch.cancellable = ("/tiles/",)  # the fit to the province's bounds leaves z5 behind
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    try:
        page.goto(base)
        page.wait_for_selector("body[data-ready='1']", timeout=30000)
        page.wait_for_function("() => (window.riverchiefTiles?.segments ?? 0) > 0", timeout=30000)
        assert any("/tiles/segments/" in u for u in requested)
        assert any("/tiles/areas/" in u for u in requested)
        assert any("/tiles/problems/" in u for u in requested)
        # no whole-layer GeoJSON of the province's segments, pieces or problems
        assert not any(
            p in u
            for u in requested
            for p in ("/api/v1/segments.geojson", "/coverage/segments.geojson", "problems.geojson")
        ), requested
        # the legend is the same
        expect(page.locator(".legend").first).to_contain_text("已巡")
        # a click on a segment (its middle, from the database) opens that river's panel
        engine = create_engine(normalise_database_url(url))
        with engine.connect() as conn:
            seg = conn.execute(
                text(
                    "SELECT r.name, ST_Y(p) AS lat, ST_X(p) AS lon FROM ("
                    "  SELECT river_id, ST_LineInterpolatePoint(ST_GeometryN(geom, 1), 0.5) AS p"
                    "  FROM segment ORDER BY length_m DESC LIMIT 1) s "
                    "JOIN river r ON r.id = s.river_id"
                )
            ).one()
        engine.dispose()
        page.evaluate(
            "([lat, lon]) => window.riverchiefMap.setView([lat, lon], 13, { animate: false })",
            [seg.lat, seg.lon],
        )
        before = page.evaluate("() => window.riverchiefTiles.segments")
        page.wait_for_function(f"() => window.riverchiefTiles.segments > {before}", timeout=30000)
        page.wait_for_timeout(300)
        point = page.evaluate(
            "([lat, lon]) => window.riverchiefMap.latLngToContainerPoint([lat, lon])",
            [seg.lat, seg.lon],
        )
        box = page.locator("#map").bounding_box()
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        expect(page.locator(".panel-title")).to_contain_text(seg.name, timeout=15000)
        watch.assert_clean()
    finally:
        context.close()
