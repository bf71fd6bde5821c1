"""Reads for vector tiles: layer versions and ``ST_AsMVT`` renders (SQL in service/sql/tile_*)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import TextClause, text
from sqlalchemy.orm import Session

from service.sql import load_sql

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


def layer_version(session: Session, layer: str) -> int:
    """The layer's data version (bumped by triggers on its tables); 0 if never recorded."""
    version = session.execute(
        text("SELECT version FROM layer_version WHERE layer = :layer"), {"layer": layer}
    ).scalar_one_or_none()
    return int(version or 0)


@cache
def _statement(layer: str) -> TextClause:
    if layer != "segments":
        return load_sql(f"tile_{layer}")
    # The segments tile embeds the patrols' coverage query instead of re-deriving coverage.
    coverage = load_sql("coverage_segments").text.strip().rstrip(";")
    return text(load_sql("tile_segments").text.replace("{{coverage_segments}}", coverage))


def render_tile(session: Session, tile: TileRequest, metric_srid: int) -> bytes:
    """The MVT bytes of one tile (empty when nothing of the layer falls in it)."""
    params: dict[str, object] = {"z": tile.z, "x": tile.x, "y": tile.y}
    if tile.layer == "segments":
        params.update(
            date_from=tile.date_from, date_to=tile.date_to, srid=metric_srid, river_id=None
        )
    body = session.execute(_statement(tile.layer), params).scalar_one()
    return bytes(body or b"")
