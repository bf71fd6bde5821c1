"""Class 10: bounded waiting lines and bounded expensive views.

On the code issue 14 started from: patrol uploads past ``upload_concurrency`` waited without
bound, each holding its body in memory (the README said "none refused"); the cross-boundary
view took ``buffer_km`` up to 50 and ran as many at once as there were threads.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from service.errors import InvalidInput
from service.patrols import routes
from service.settings import get_settings
from tests.support import live_app

TRACK = Path(__file__).resolve().parent.parent / "fixtures" / "tracks"


@pytest.fixture(scope="module")
def server(database_url: str) -> Iterator[str]:
    with live_app() as base:
        yield base


def test_uploads_past_the_waiting_line_get_503_with_retry_after(
    server: str, auth_headers: Callable[[str], dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "upload_concurrency", 1)
    monkeypatch.setattr(get_settings(), "upload_queue_max", 1, raising=False)

    def slow_ingest(*_args: Any, **_kwargs: Any) -> Any:
        time.sleep(1.5)  # counted as running, then refused: nothing is stored
        raise InvalidInput("counted, not stored")

    monkeypatch.setattr(routes, "ingest", slow_ingest)
    headers = auth_headers("chief")
    body = next(TRACK.glob("*.gpx")).read_bytes()

    def upload(n: int) -> httpx.Response:
        return httpx.post(
            server + "/api/v1/patrols",
            headers=headers,
            timeout=60,
            files={"file": (f"t{n}.gpx", body, "application/gpx+xml")},
        )

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(upload, range(4)))
    codes = sorted(a.status_code for a in answers)
    assert codes == [422, 422, 503, 503], [a.text for a in answers]
    busy = [a for a in answers if a.status_code == 503]
    assert all(int(a.headers["Retry-After"]) > 0 and a.json()["code"] == "busy" for a in busy)


def test_admitted_bounds_both_the_work_and_the_line() -> None:
    from service.concurrency import admitted
    from service.errors import ServiceBusy

    async def run() -> list[str]:
        outcomes: list[str] = []

        async def one() -> None:
            try:
                async with admitted("h14-test", 1, 1, "things"):
                    await asyncio.sleep(0.05)
                    outcomes.append("ran")
            except ServiceBusy:
                outcomes.append("busy")

        await asyncio.gather(*(one() for _ in range(4)))
        return outcomes

    assert sorted(asyncio.run(run())) == ["busy", "busy", "ran", "ran"]


def test_the_readme_no_longer_promises_none_refused() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert "RIVERCHIEF_UPLOAD_QUEUE_MAX" in readme
    assert "none refused" not in readme.lower()
