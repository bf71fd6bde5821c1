"""Tiles from a real server: cache hits without the database, committed changes seen by the
in-memory version poller within its interval, 304s."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import mapbox_vector_tile
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from service.settings import get_settings
from tests.support import live_app

AREAS = "/tiles/areas/10/807/423.pbf"


@pytest.fixture(scope="module")
def server(database_url: str) -> Iterator[str]:
    with live_app() as base:
        yield base


def test_committed_change_reaches_the_etag_within_the_poll(server: str, engine: Engine) -> None:
    assert get_settings().tile_version_poll_s > 0
    first = httpx.get(server + AREAS)
    assert first.status_code == 200 and first.content
    again = httpx.get(server + AREAS)
    assert again.headers["x-tile-cache"] == "hit" and again.headers["etag"] == first.headers["etag"]
    assert (
        httpx.get(server + AREAS, headers={"If-None-Match": first.headers["etag"]}).status_code
        == 304
    )
    # A committed no-op update still bumps the layer (statement trigger) ...
    with engine.begin() as conn:
        conn.execute(text("UPDATE admin_area SET name = name WHERE code = '511102'"))
    # ... and within the poll interval the tile gets a new ETag and is re-rendered.
    deadline = time.monotonic() + 5 * get_settings().tile_version_poll_s + 2
    while time.monotonic() < deadline:
        later = httpx.get(server + AREAS, headers={"If-None-Match": first.headers["etag"]})
        if later.status_code == 200:
            break
        time.sleep(0.1)
    assert later.status_code == 200
    assert later.headers["etag"] != first.headers["etag"]
    assert later.headers["x-tile-cache"] == "miss"
    codes = [
        {f["properties"]["code"] for f in mapbox_vector_tile.decode(r.content)["areas"]["features"]}
        for r in (first, later)
    ]
    assert codes[0] == codes[1] and "511102" in codes[0]
