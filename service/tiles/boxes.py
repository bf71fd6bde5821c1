"""Which segments a tile holds, answered in memory: a cold segments tile is one statement.

A cold segments tile took two statements: the ids of the segments in the tile's box (to look
up their coverage shares for the period), then ``ST_AsMVT`` with those shares. Segment boxes
change only with the registry (rivers re-cut, segments imported), so each worker keeps them
in numpy arrays per ``registry`` version and picks a tile's candidates itself.

Consistency: the render statement also returns the ``registry`` version of its own snapshot;
when that is not the version the boxes were read at, the boxes are re-read and the tile
rendered again, so a tile never pairs segments with boxes of another version. Candidates are
a superset of what the tile's ``&&`` selects (boxes widened by a hair): no segment in the tile
loses its share; an extra id only lengthens the arrays.
"""

from __future__ import annotations

import math
import threading

import numpy as np

from service.db import Executor
from service.sql import load_sql

EARTH_RADIUS_M = 6378137.0  # Web Mercator's sphere
HALF_WORLD_M = math.pi * EARTH_RADIUS_M
#: Tile buffer as a share of the tile (64 px of 4096), as in the tile SQL.
MARGIN = 64.0 / 4096
#: Widening of each box (degrees, ~1 cm): float rounding must never drop a candidate.
SLACK_DEG = 1e-7


def tile_box(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """``ST_Transform(ST_TileEnvelope(z, x, y, margin => 64/4096), 4326)``'s box, in Python."""
    size = 2 * HALF_WORLD_M / 2**z
    left, right = -HALF_WORLD_M + (x - MARGIN) * size, -HALF_WORLD_M + (x + 1 + MARGIN) * size
    top, bottom = HALF_WORLD_M - (y - MARGIN) * size, HALF_WORLD_M - (y + 1 + MARGIN) * size

    def lon(mx: float) -> float:
        return math.degrees(mx / EARTH_RADIUS_M)

    def lat(my: float) -> float:
        return math.degrees(math.atan(math.sinh(my / EARTH_RADIUS_M)))

    return lon(left), lat(bottom), lon(right), lat(top)


class SegmentBoxes:
    """Every segment's bounding box (EPSG:4326) at one ``registry`` version."""

    def __init__(self) -> None:
        self.version: int | None = None
        self._ids = np.empty(0, dtype=np.int64)
        self._boxes = np.empty((0, 4), dtype=np.float64)
        self._lock = threading.Lock()

    def load(self, session: Executor) -> None:
        """Read the boxes and their version in one statement (one snapshot)."""
        row = session.execute(load_sql("segment_boxes")).one()
        ids = np.asarray(row.ids or [], dtype=np.int64)
        columns = (row.xmin, row.ymin, row.xmax, row.ymax)
        boxes = (
            np.column_stack([np.asarray(c, dtype=np.float64) for c in columns])
            if ids.size
            else np.empty((0, 4), dtype=np.float64)
        )
        with self._lock:
            self._ids, self._boxes, self.version = ids, boxes, int(row.version)

    def candidates(self, session: Executor, z: int, x: int, y: int) -> tuple[int, list[int]]:
        """(registry version of the boxes, ids of the segments that may fall in the tile)."""
        if self.version is None:
            self.load(session)
        return self._pick(z, x, y)

    def loaded_candidates(self, z: int, x: int, y: int) -> list[int] | None:
        """The tile's candidate ids if the boxes are loaded (no database), else None."""
        if self.version is None:
            return None
        return self._pick(z, x, y)[1]

    def _pick(self, z: int, x: int, y: int) -> tuple[int, list[int]]:
        with self._lock:
            version, ids, boxes = self.version, self._ids, self._boxes
        assert version is not None
        xmin, ymin, xmax, ymax = tile_box(z, x, y)
        inside = (
            (boxes[:, 0] <= xmax + SLACK_DEG)
            & (boxes[:, 2] >= xmin - SLACK_DEG)
            & (boxes[:, 1] <= ymax + SLACK_DEG)
            & (boxes[:, 3] >= ymin - SLACK_DEG)
        )
        return version, ids[inside].tolist()


segment_boxes = SegmentBoxes()
