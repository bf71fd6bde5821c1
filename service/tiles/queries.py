"""Reads for vector tiles: layer versions and ``ST_AsMVT`` renders (SQL in service/sql/tile_*)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import TextClause, text
from sqlalchemy.orm import Session

from service.coverage.store import period_pieces
from service.db import Executor
from service.patrols.matching import no_jit
from service.sql import load_sql
from service.tiles.boxes import segment_boxes

LAYERS = ("segments", "problems", "areas", "crossings")
#: Web Mercator zooms we render; past 22 a tile is smaller than a GPS fix.
MAX_ZOOM = 22


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
    """BASELINE (issue 22): every segment's covered share recomputed from the period's
    intervals, as tiles did before the coverage store; kept for the benches only."""
    coverage = load_sql("coverage_segments_recompute").text.strip().rstrip(";")
    return text(load_sql("tile_segment_coverage").text.replace("{{coverage_segments}}", coverage))


def render_tile(
    session: Executor, tile: TileRequest, version: int | str, metric_srid: int
) -> bytes:
    """The MVT bytes of one tile (empty when nothing of the layer falls in it): one statement."""
    params: dict[str, object] = {"z": tile.z, "x": tile.x, "y": tile.y}
    if tile.layer != "segments":
        body = session.execute(load_sql(f"tile_{tile.layer}"), params).scalar_one()
        return bytes(body or b"")
    assert tile.date_from is not None and tile.date_to is not None
    # No JIT (it costs seconds here) and no generic plan; read-pool connections have both.
    if isinstance(session, Session):
        no_jit(session)
    pieces = period_pieces(tile.date_from, tile.date_to).params()
    row = session.execute(load_sql("tile_segments"), {**params, **pieces}).one()
    if row.registry_version != segment_boxes.version:
        # Segments changed since the boxes were read: the tiles' versions pick their
        # segments from the boxes, so re-read them.
        segment_boxes.load(session)
    return bytes(row.mvt or b"")
