"""The in-memory segment boxes that make a cold segments tile one statement."""

from __future__ import annotations

from datetime import date

import mapbox_vector_tile
import numpy as np
import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from service.settings import get_settings
from service.tiles.boxes import SLACK_DEG, segment_boxes, tile_box
from service.tiles.queries import TileRequest, layer_version, render_tile

#: Tiles over Leshan at z8..z14 (the city centre, 乐山 at 103.76E 29.55N) and one far away.
TILES = [
    (8, 201, 105),
    (10, 807, 423),
    (10, 806, 424),
    (12, 3229, 1694),
    (14, 12917, 6778),
    (10, 100, 100),
]


@pytest.mark.parametrize(("z", "x", "y"), TILES)
def test_tile_box_is_postgis_envelope(db: Session, z: int, x: int, y: int) -> None:
    sql = text(
        "SELECT ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b) FROM ("
        "SELECT ST_Transform(ST_TileEnvelope(:z, :x, :y, margin => 64.0 / 4096), 4326) b"
        ") t"
    )
    expected = db.execute(sql, {"z": z, "x": x, "y": y}).one()
    assert np.allclose(tile_box(z, x, y), tuple(expected), rtol=0, atol=1e-9)


@pytest.mark.parametrize(("z", "x", "y"), TILES)
def test_candidates_hold_every_segment_the_tile_selects(
    db: Session, z: int, x: int, y: int
) -> None:
    segment_boxes.load(db)
    version, ids = segment_boxes.candidates(db, z, x, y)
    assert version == layer_version(db, "registry")
    selected = set(
        db.execute(
            text(
                "SELECT id FROM segment WHERE geom && "
                "ST_Transform(ST_TileEnvelope(:z, :x, :y, margin => 64.0 / 4096), 4326)"
            ),
            {"z": z, "x": x, "y": y},
        ).scalars()
    )
    assert selected <= set(ids)
    # ... and not many more: only boxes within the slack of the tile's edges.
    assert len(ids) - len(selected) <= max(2, len(selected) // 10)
    assert SLACK_DEG < 1e-6


def test_stale_boxes_are_reread_and_the_tile_rendered_again(db: Session) -> None:
    year = date.today().year
    tile = TileRequest("segments", 10, 807, 423, date(year, 1, 1), date(year, 12, 31))
    version = layer_version(db, "segments")
    segment_boxes.load(db)
    fresh = render_tile(db, tile, version, get_settings().metric_srid)
    assert mapbox_vector_tile.decode(fresh)["segments"]["features"]
    # Boxes of a version that never was, holding no segment: a render from them alone would
    # be empty; the version check in the statement makes it re-read and render again.
    segment_boxes.version = -1
    segment_boxes._ids = np.empty(0, dtype=np.int64)
    segment_boxes._boxes = np.empty((0, 4))
    assert render_tile(db, tile, version, get_settings().metric_srid) == fresh
    assert segment_boxes.version == layer_version(db, "registry")
