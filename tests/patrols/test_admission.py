"""Uploads past ``upload_concurrency`` wait their turn on a real server (up to the waiting
line of ``upload_queue_max``, tests/hardening/test_queues.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from service.errors import InvalidInput
from service.patrols import routes
from service.settings import get_settings
from tests.support import AtOnce, live_app

TRACK = Path(__file__).resolve().parent.parent / "fixtures" / "tracks"


@pytest.fixture(scope="module")
def server(database_url: str) -> Iterator[str]:
    with live_app() as base:
        yield base


def test_uploads_past_the_limit_queue_instead_of_running_at_once(
    server: str, auth_headers: Callable[[str], dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "upload_concurrency", 1)
    at_once = AtOnce()

    def slow_ingest(*_args: Any, **_kwargs: Any) -> Any:
        # Counts who is inside at once, then refuses: nothing is committed to the shared
        # test database.
        with at_once.inside(0.3):
            raise InvalidInput("counted, not stored")

    monkeypatch.setattr(routes, "ingest", slow_ingest)
    headers = auth_headers("chief")
    body = next(TRACK.glob("*.gpx")).read_bytes()

    def upload(n: int) -> httpx.Response:
        return httpx.post(
            server + "/api/v1/patrols",
            headers=headers,
            timeout=30,
            files={"file": (f"t{n}.gpx", body, "application/gpx+xml")},
        )

    # A fresh loop per worker process owns its semaphore: this server's loop has not made
    # one yet with a different limit (the module's server only serves this test).
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(upload, range(4)))
    assert [a.status_code for a in answers] == [422] * 4
    assert all(a.json()["detail"] == "counted, not stored" for a in answers)
    assert at_once.most == 1
