"""The map read cache on a real server, and layer versions bumped at commit.

Changes here are committed (a cache keyed by committed versions cannot see a rolled-back
test transaction), so each one is a no-op or is undone before the test ends.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from service.settings import get_settings
from tests.support import live_app

RIVERS = "/api/v1/rivers"


def _until(condition: Callable[[], httpx.Response | None], what: str) -> httpx.Response:
    """Poll ``condition()`` (a response or None) for a few poll intervals."""
    deadline = time.monotonic() + 5 * get_settings().tile_version_poll_s + 2
    while time.monotonic() < deadline:
        response = condition()
        if response is not None:
            return response
        time.sleep(0.1)
    raise AssertionError(f"not within the poll interval: {what}")


@pytest.fixture(scope="module")
def server(database_url: str) -> Iterator[str]:
    with live_app() as base:
        yield base


@pytest.fixture(autouse=True)
def cache_on(monkeypatch: pytest.MonkeyPatch, server: str) -> None:
    monkeypatch.setattr(get_settings(), "read_cache_ttl_s", 30.0)

    # Until the process's version poller has read the database once, reads pass uncached.
    def cached() -> httpx.Response | None:
        r = httpx.get(server + "/api/v1/map/areas.geojson")
        return r if "x-cache" in r.headers else None

    _until(cached, "the version poller ready")


def test_anonymous_reads_hit_and_revalidate(server: str, engine: Engine) -> None:
    first = httpx.get(server + RIVERS, params={"all": "true"})
    again = httpx.get(server + RIVERS, params={"all": "true"})
    assert first.status_code == again.status_code == 200
    assert again.headers["x-cache"] == "hit" and again.json() == first.json()
    assert again.headers["etag"] == first.headers["etag"]
    # The cached answer passes the security middleware like any other.
    assert again.headers["x-content-type-options"] == "nosniff"
    not_modified = httpx.get(
        server + RIVERS, params={"all": "true"}, headers={"If-None-Match": first.headers["etag"]}
    )
    assert not_modified.status_code == 304 and not_modified.content == b""
    # Other query strings are other entries.
    assert httpx.get(server + RIVERS, params={"on": "2024-01-01"}).headers["x-cache"] == "miss"


def test_signed_in_reads_have_their_own_entries_and_revocation_is_immediate(
    server: str,
    engine: Engine,
    auth_headers: Callable[[str], dict[str, str]],
) -> None:
    path = server + "/api/v1/coverage?from=2025-01-01&to=2025-12-31"
    office, chief = auth_headers("office"), auth_headers("chief")
    assert httpx.get(path, headers=office).headers["x-cache"] == "miss"
    assert httpx.get(path, headers=office).headers["x-cache"] == "hit"
    # Neither another account nor an anonymous caller gets the office's entry.
    assert httpx.get(path, headers=chief).headers["x-cache"] == "miss"
    assert httpx.get(path).headers["x-cache"] == "miss"
    assert httpx.get(path).headers["x-cache"] == "hit"
    # A forged token is the route's to refuse, cached answer or not.
    forged = {"Authorization": office["Authorization"][:-4] + "AAAA"}
    assert httpx.get(path, headers=forged).status_code == 401
    # Revoking the account's tokens takes effect at once, not after a poll or the TTL.
    bump = "UPDATE user_account SET token_version = token_version + :d WHERE username = 'office'"
    with engine.begin() as conn:
        conn.execute(text(bump), {"d": 1})
    try:
        refused = httpx.get(path, headers=office)
        assert refused.status_code == 401 and "x-cache" not in refused.headers
    finally:
        with engine.begin() as conn:
            conn.execute(text(bump), {"d": -1})


def test_a_committed_change_is_served_within_the_poll(server: str, engine: Engine) -> None:
    before = httpx.get(server + RIVERS)
    assert before.status_code == 200
    river_id = before.json()[0]["id"]
    name = before.json()[0]["name"]
    try:
        with engine.begin() as conn:
            conn.execute(
                text("UPDATE river SET name = name || '（测）' WHERE id = :id"), {"id": river_id}
            )

        def renamed() -> httpx.Response | None:
            r = httpx.get(server + RIVERS)
            return r if r.json()[0]["name"] == name + "（测）" else None

        after = _until(renamed, "the renamed river")
        assert after.headers["x-cache"] == "miss"
        assert after.headers["etag"] != before.headers["etag"]
    finally:
        with engine.begin() as conn:
            conn.execute(
                text("UPDATE river SET name = :name WHERE id = :id"), {"id": river_id, "name": name}
            )

    def restored() -> httpx.Response | None:
        r = httpx.get(server + RIVERS)
        return r if r.json()[0]["name"] == name else None

    _until(restored, "the name restored")


def test_layer_versions_move_once_per_transaction_at_commit(engine: Engine) -> None:
    def versions(conn: object) -> dict[str, int]:
        rows = conn.execute(text("SELECT layer, version FROM layer_version"))  # type: ignore[attr-defined]
        return {str(layer): int(version) for layer, version in rows}

    with engine.connect() as watcher:
        start = versions(watcher)
        watcher.commit()
        with engine.connect() as writer:
            writer.execute(text("UPDATE river SET name = name"))  # every river row
            writer.execute(text("UPDATE river SET name = name"))  # and again
            # Not committed: other sessions see the old versions, and the layer rows are not
            # locked (an upload no longer blocks the next one on its layer's row).
            assert versions(watcher) == start
            watcher.commit()
            watcher.execute(text("SET lock_timeout = '2s'"))
            watcher.execute(text("SELECT 1 FROM layer_version WHERE layer = 'segments' FOR UPDATE"))
            watcher.rollback()
            writer.commit()
        end = versions(watcher)
    moved = {layer for layer in start if end[layer] != start[layer]}
    # river is read by these four layers; each moved once (one nextval) for the transaction.
    assert moved == {"segments", "problems", "crossings", "registry"}
    assert len({end[layer] for layer in moved}) == 4
    assert max(end.values()) - max(start.values()) == 4


def test_a_database_error_checking_the_caller_falls_through_to_the_route(
    server: str, auth_headers: Callable[[str], dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError

    from service.web import read_cache

    def unreachable(*_args: object) -> None:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(read_cache, "_account", unreachable)
    # Not the 500 an exception in a middleware would give: the route answers as without cache.
    answer = httpx.get(server + RIVERS, headers=auth_headers("office"))
    assert answer.status_code == 200 and "x-cache" not in answer.headers


def test_a_download_link_is_never_answered_from_the_cache(
    server: str, auth_headers: Callable[[str], dict[str, str]]
) -> None:
    """A single-use link to a cached read (issue 15): the route runs (as the link's account),
    the answer is not kept, and the same link again is refused, not replayed from memory."""
    made = httpx.post(
        server + "/api/v1/download-links",
        json={"path": "/api/v1/coverage?from=2025-01-01&to=2025-06-30"},
        headers=auth_headers("office"),
    )
    assert made.status_code == 201, made.text
    url = made.json()["url"]
    first = httpx.get(url)
    assert first.status_code == 200 and "x-cache" not in first.headers
    again = httpx.get(url)
    assert again.status_code == 410 and again.json()["code"] == "download_link_used"
