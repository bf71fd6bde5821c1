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

from sqlalchemy import text

from service.db import get_engine

log = logging.getLogger(__name__)


class PolledVersions:
    """Versions of every layer, refreshed by one daemon thread per process."""

    def __init__(self, interval_s: float) -> None:
        self.interval_s = interval_s
        self._versions: dict[str, int] = {}
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tile-versions", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        with get_engine().connect() as conn:
            rows = conn.execute(text("SELECT layer, version FROM layer_version_now")).all()
        self._versions = {str(layer): int(version) for layer, version in rows}
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
