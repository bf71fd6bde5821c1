"""Helpers for patrol tests: synthetic tracks built from the real river segments in PostGIS."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import numpy as np
import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from service.officials.models import Official
from tests.support import river_id as support_river_id

Point = tuple[float, float, datetime | None]

#: The river's Leshan segments joined upstream to downstream, in EPSG:4507 (metres).
_PATH = """
WITH line AS (
    SELECT ST_LineMerge(ST_Collect(ST_Transform(s.geom, 4507) ORDER BY s.ord)) AS g
    FROM segment s JOIN river r ON r.id = s.river_id WHERE r.name = :name
)
SELECT ST_X(d.geom) AS x, ST_Y(d.geom) AS y
FROM line, LATERAL ST_DumpPoints(
    ST_Segmentize(ST_LineSubstring(line.g, :a, :b), :step)) AS d
ORDER BY d.path
"""


def river_points(
    db: Session,
    river: str,
    a: float,
    b: float,
    *,
    start: datetime,
    speed_kmh: float = 5.0,
    step_m: float = 25.0,
    noise_m: float = 4.0,
    offset_m: tuple[float, float] = (0.0, 0.0),
    seed: int = 1,
) -> list[Point]:
    """Points alongside fractions ``a``..``b`` of ``river``'s Leshan length (WGS84, timed).

    Noise is uniform in +-``noise_m`` metres on both axes; ``offset_m`` shifts every point
    (metres east, north). Times advance at ``speed_kmh``.
    """
    rows = db.execute(text(_PATH), {"name": river, "a": a, "b": b, "step": step_m}).all()
    assert len(rows) > 2, f"no path for {river}"
    xy = np.array([(r.x, r.y) for r in rows])
    rng = np.random.default_rng(seed)
    xy = xy + rng.uniform(-noise_m, noise_m, xy.shape) + np.array(offset_m)
    steps = np.r_[0.0, np.hypot(*np.diff(xy, axis=0).T)]
    seconds = np.cumsum(steps) / (speed_kmh / 3.6)
    lonlat = db.execute(
        text(
            "SELECT ST_X(g), ST_Y(g) FROM (SELECT (ST_DumpPoints(ST_Transform("
            "ST_SetSRID(ST_MakeLine(ARRAY(SELECT ST_MakePoint(x, y) FROM unnest("
            "CAST(:xs AS float8[]), CAST(:ys AS float8[])) AS t(x, y))), 4507), 4326))).geom g) q"
        ),
        {"xs": xy[:, 0].tolist(), "ys": xy[:, 1].tolist()},
    ).all()
    return [
        (lon, lat, start + timedelta(seconds=float(s)))
        for (lon, lat), s in zip(lonlat, seconds, strict=True)
    ]


def gpx(segments: list[list[Point]], *, times: bool = True) -> bytes:
    """A GPX 1.1 file with one track and one trkseg per list of points."""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"><trk>',
    ]
    for seg in segments:
        out.append("<trkseg>")
        for lon, lat, when in seg:
            t = f"<time>{when.isoformat().replace('+00:00', 'Z')}</time>" if when and times else ""
            out.append(f'<trkpt lat="{lat:.8f}" lon="{lon:.8f}">{t}</trkpt>')
        out.append("</trkseg>")
    out.append("</trk></gpx>")
    return "\n".join(out).encode()


@pytest.fixture
def chief_of(db: Session) -> Callable[[str], int]:
    """The demo municipal chief's official id of a river, by river name."""
    from service.officials.queries import municipal_chief
    from service.timeutil import today_local

    def find(river: str) -> int:
        official = municipal_chief(db, support_river_id(db, river), today_local())
        assert official is not None
        return official.id

    return find


@pytest.fixture
def river_id(db: Session) -> Callable[[str], int]:
    return partial(support_river_id, db)


@pytest.fixture
def upload(client: Any, auth_headers: Callable[[str], dict[str, str]]) -> Callable[..., Any]:
    """POST a track file; ``as_user`` picks the demo account (default office)."""

    def post(data: bytes, filename: str = "track.gpx", as_user: str = "office", **fields: Any):  # type: ignore[no-untyped-def]
        return client.post(
            "/api/v1/patrols",
            files={"file": (filename, data, "application/octet-stream")},
            data={k: str(v) for k, v in fields.items() if v is not None},
            headers=auth_headers(as_user),
        )

    return post


def official_id(db: Session, name: str) -> int:
    found = db.scalar(select(Official.id).where(Official.name == name))
    assert found is not None
    return found
