"""Layer versions held in memory, re-read from ``layer_version`` every ``tile_version_poll_s``.

A cache hit then needs no database round trip at all. The price is bounded staleness: after a
commit, tiles may carry the previous version (and its ETag) for up to one poll interval —
well inside the ``Cache-Control: max-age`` browsers are already allowed. Consistency holds
because a version only ever moves forward: a tile rendered from new data but filed under the
old version is only served until the next poll, never after. With the interval set to 0 the
route reads the version through the request's own session instead (tests use this, since
their changes are never committed).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence

import numpy as np
from sqlalchemy import text

from service.db import Executor, get_engine

log = logging.getLogger(__name__)


class PolledVersions:
    """Versions of every layer, refreshed by one daemon thread per process."""

    def __init__(self, interval_s: float) -> None:
        self.interval_s = interval_s
        self._versions: dict[str, int] = {}
        self._segments = np.zeros(0, dtype=np.int64)
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tile-versions", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        with get_engine().connect() as conn:
            rows = conn.execute(text("SELECT layer, version FROM layer_version_now")).all()
            versions = {str(layer): int(version) for layer, version in rows}
            # Per-segment coverage versions (issue 22), re-read whole when the ``coverage``
            # layer moved: that layer bumps at commit in commit order, while a segment's
            # version is taken inside its transaction, so "version > last seen" could miss one.
            if versions.get("coverage") != self._versions.get("coverage"):
                self._segments = read_segment_versions(conn)
        self._versions = versions
        self._ready.set()

    def _run(self) -> None:
        failing = False
        while True:
            try:
                self._read()
                failing = False
            except Exception as exc:  # keep polling through a database restart
                self._ready.clear()
                if not failing:  # once per outage, not every interval
                    log.warning(
                        "reading layer versions failed (%s); tiles read them per "
                        "request until it works again",
                        type(exc).__name__,
                    )
                failing = True
            time.sleep(self.interval_s)

    def get(self, layer: str) -> int | None:
        """The layer's version, or None while no fresh read is available."""
        if not self._ready.is_set():
            return None
        return self._versions.get(layer, 0)

    def coverage_token(self, segment_ids: Sequence[int]) -> int | None:
        """The sum of these segments' coverage versions (see ``coverage_token``)."""
        if not self._ready.is_set():
            return None
        return coverage_token(self._segments, segment_ids)


def read_segment_versions(conn: Executor) -> np.ndarray:
    """``coverage_segment_version`` as an array indexed by segment id (0: never changed)."""
    rows = conn.execute(text("SELECT segment_id, version FROM coverage_segment_version")).all()
    if not rows:
        return np.zeros(0, dtype=np.int64)
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    out = np.zeros(int(ids.max()) + 1, dtype=np.int64)
    out[ids] = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))
    return out


def coverage_token(versions: np.ndarray, segment_ids: Sequence[int]) -> int:
    """Sum of the coverage versions of a tile's segments: it changes whenever any of them
    changes (a segment's version only grows), and only then; a max would not do, since
    versions are drawn inside transactions and commit out of order."""
    if not len(segment_ids) or not versions.size:
        return 0
    ids = np.asarray(segment_ids, dtype=np.int64)
    ids = ids[ids < versions.size]
    return int(versions[ids].sum())


def segment_coverage_token(session: Executor, segment_ids: Sequence[int]) -> int:
    """``coverage_token`` read through a session (when polling is off)."""
    if not segment_ids:
        return 0
    value = session.execute(
        text("SELECT sum(version) FROM coverage_segment_version WHERE segment_id = ANY(:ids)"),
        {"ids": list(segment_ids)},
    ).scalar_one_or_none()
    return int(value or 0)


_lock = threading.Lock()
_instance: PolledVersions | None = None


def polled_versions(interval_s: float) -> PolledVersions | None:
    """The process's poller (started on first use), or None when polling is off (0)."""
    global _instance
    if interval_s <= 0:
        return None
    with _lock:
        if _instance is None:
            _instance = PolledVersions(interval_s)
    return _instance
