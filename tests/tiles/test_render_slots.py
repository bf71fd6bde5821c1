"""Cold tile renders past ``tile_render_concurrency`` wait in the event loop (real server)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from service.settings import get_settings
from service.tiles import routes
from tests.support import AtOnce, live_app


@pytest.fixture(scope="module")
def server(database_url: str) -> Iterator[str]:
    # Its own server: a loop makes its semaphore on first use, with the size set then.
    with live_app() as base:
        yield base


def test_renders_past_the_limit_wait_their_turn(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "tile_render_concurrency", 1)
    real = routes.render_tile
    at_once = AtOnce()

    def counted(*args: Any, **kwargs: Any) -> bytes:
        with at_once.inside(0.2):
            return real(*args, **kwargs)

    monkeypatch.setattr(routes, "render_tile", counted)
    routes.get_tile_cache().clear()
    paths = [f"/tiles/areas/10/{x}/423.pbf" for x in range(805, 810)]
    with ThreadPoolExecutor(len(paths)) as pool:
        answers = list(pool.map(lambda p: httpx.get(server + p, timeout=30), paths))
    assert [a.status_code for a in answers] == [200] * len(paths)
    assert all(a.headers["x-tile-cache"] == "miss" for a in answers)
    assert at_once.most == 1
