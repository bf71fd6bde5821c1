"""Reads for vector tiles: layer versions and ``ST_AsMVT`` renders (SQL in service/sql/tile_*)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import TextClause, text
from sqlalchemy.orm import Session

from service.db import Executor
from service.patrols.matching import no_jit
from service.sql import load_sql
from service.tiles.boxes import segment_boxes

LAYERS = ("segments", "problems", "areas", "crossings")
#: Web Mercator zooms we render; past 22 a tile is smaller than a GPS fix.
MAX_ZOOM = 22
#: Periods whose per-segment coverage is kept in memory (per data version).
COVERAGE_PERIODS_KEPT = 8
#: Renders of a segments tile when the registry changes under it (twice in a row is rare;
#: the last render is then served, as fresh as its own snapshot).
RENDER_TRIES = 3


@dataclass(frozen=True)
class TileRequest:
    """One tile of one layer; ``date_from``/``date_to`` only matter for ``segments``."""

    layer: str
    z: int
    x: int
    y: int
    date_from: date | None = None
    date_to: date | None = None

    def params_tag(self) -> str:
        if self.date_from is None or self.date_to is None:
            return ""
        return f"{self.date_from.isoformat()}_{self.date_to.isoformat()}"


def layer_version(session: Executor, layer: str) -> int:
    """The layer's data version (bumped by triggers on its tables); 0 if never recorded.

    The bump triggers are deferred to COMMIT; firing this session's pending ones first makes
    its own uncommitted writes count (a request that wrote, then reads, sees a new version).
    """
    if isinstance(session, Session):  # a read-pool connection writes nothing
        session.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))
    version = session.execute(
        text("SELECT version FROM layer_version_now WHERE layer = :layer"), {"layer": layer}
    ).scalar_one_or_none()
    return int(version or 0)


@cache
def _coverage_statement() -> TextClause:
    # Embeds the patrols' coverage query instead of re-deriving coverage.
    coverage = load_sql("coverage_segments").text.strip().rstrip(";")
    return text(load_sql("tile_segment_coverage").text.replace("{{coverage_segments}}", coverage))


class PeriodCoverage:
    """Covered share per segment for (data version, period), computed once and shared.

    Merging a period's intervals reads every patrol of the period, so it is done once per
    version and period (one caller computes, concurrent callers wait for it), never per tile.
    """

    def __init__(self, kept: int = COVERAGE_PERIODS_KEPT) -> None:
        self.kept = kept
        self._items: OrderedDict[tuple[int, date, date], dict[int, float]] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[tuple[int, date, date], threading.Lock] = {}

    def get(
        self, session: Executor, version: int, start: date, end: date, srid: int
    ) -> dict[int, float]:
        key = (version, start, end)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            gate = self._computing.setdefault(key, threading.Lock())
        with gate:
            with self._lock:
                if key in self._items:
                    return self._items[key]
            # No JIT (it costs seconds here) and no generic plan: psycopg prepares a statement
            # after 5 runs on a connection, and a generic plan nests loops over the period's
            # intervals (3 s became 34 s for one city of 1M patrols in bench/partitioning.py).
            # Read-pool connections have both for the whole connection already.
            if isinstance(session, Session):
                no_jit(session)
            rows = session.execute(
                _coverage_statement(),
                {"date_from": start, "date_to": end, "srid": srid, "river_id": None},
            )
            shares = {int(seg): float(frac) for seg, frac in rows}
            with self._lock:
                self._items[key] = shares
                while len(self._items) > self.kept:
                    self._items.popitem(last=False)
                self._computing.pop(key, None)
        return shares

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


period_coverage = PeriodCoverage()


def render_tile(session: Executor, tile: TileRequest, version: int, metric_srid: int) -> bytes:
    """The MVT bytes of one tile (empty when nothing of the layer falls in it): one statement."""
    params: dict[str, object] = {"z": tile.z, "x": tile.x, "y": tile.y}
    if tile.layer != "segments":
        body = session.execute(load_sql(f"tile_{tile.layer}"), params).scalar_one()
        return bytes(body or b"")
    assert tile.date_from is not None and tile.date_to is not None
    for _ in range(RENDER_TRIES):
        boxes_version, ids = segment_boxes.candidates(session, tile.z, tile.x, tile.y)
        covered: list[int] = []
        fracs: list[float] = []
        if ids:
            shares = period_coverage.get(
                session, version, tile.date_from, tile.date_to, metric_srid
            )
            covered = [i for i in ids if i in shares]
            fracs = [shares[i] for i in covered]
        row = session.execute(
            load_sql("tile_segments"), {**params, "cov_ids": covered, "cov_fracs": fracs}
        ).one()
        if row.registry_version == boxes_version:
            break
        # Segments changed since the boxes were read: re-read them, render again.
        segment_boxes.load(session)
    return bytes(row.mvt or b"")
