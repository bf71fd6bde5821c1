"""Synthetic patrols for the demo (``is_synthetic``): along the real Leshan river segments.

Each patrol is walked (3-5 km/h, a fix every 10 s) or driven (20-40 km/h) along a bank at
30-250 m from the centre line (within the 500 m tolerance), with ~6 m GPS noise, sometimes a
lost-signal gap or a spike (dropped by the real cleaning), and about one in five is invalid on
purpose (a 5-minute look, a stroll under 1 km, the far side of a levee beyond tolerance, a
file without times). Raw GPX bytes are stored like a real upload; matching and judging run in
bulk in SQL, so a few hundred patrols take a few seconds.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from sqlalchemy import func, or_, select, text
from sqlalchemy.orm import Session

from service.geo.tracks import ParsedTrack, TrackPoint, clean_track
from service.officials.models import Assignment
from service.patrols.matching import judge_patrols, match_patrols, measure_lengths
from service.patrols.models import Patrol
from service.patrols.service import track_wkb
from service.patrols.tracks import track_gpx
from service.settings import get_settings
from service.timeutil import LOCAL_TZ, today_local

NOTES = (
    "（演示数据）沿岸巡查，河面无明显漂浮物。",
    "（演示数据）巡查排污口两处，未见异常排放。",
    "（演示数据）发现岸边少量生活垃圾，已通知属地清理。",
    "（演示数据）检查河道采砂管理情况，未发现非法采砂。",
    "（演示数据）查看水文站周边堤防，状况良好。",
)


@dataclass(frozen=True)
class Duty:
    """Who patrols what: an official and the lines (EPSG metric) they patrol along."""

    official_id: int
    lines: list[shapely.LineString]
    weight: float


def _lines(
    session: Session, srid: int, river_id: int | None, county: str | None
) -> list[shapely.LineString]:
    """The river's Leshan segments merged into continuous lines (metric CRS)."""
    rows = session.execute(
        text(
            "SELECT ST_AsBinary((ST_Dump(ST_LineMerge(ST_Collect(ST_Transform(geom, :srid) "
            "ORDER BY river_id, ord)))).geom) FROM segment "
            "WHERE (CAST(:river AS int) IS NULL OR river_id = :river) "
            "AND (CAST(:county AS text) IS NULL OR county_code = :county)"
        ),
        {"srid": srid, "river": river_id, "county": county},
    ).scalars()
    return [g for g in (shapely.from_wkb(bytes(r)) for r in rows) if g.length > 500]


def duties(session: Session, on: date) -> list[Duty]:
    """General chief (any river), municipal chiefs (their river), county chiefs (their reach).

    Weights make a year of ~120 patrols give a municipal chief about 4 (the seed asks 3, one
    per half-year, so some miss a half), the general chief about 1, county chiefs the rest.
    """
    srid = get_settings().metric_srid
    rows = session.execute(
        select(Assignment).where(
            Assignment.official_id.is_not(None),
            Assignment.role.in_(("general_chief", "river_chief")),
            Assignment.valid_from <= on,
            or_(Assignment.valid_to.is_(None), Assignment.valid_to >= on),
        )
    ).scalars()
    out = []
    for a in rows:
        assert a.official_id is not None
        if a.role == "general_chief":
            out.append(Duty(a.official_id, _lines(session, srid, None, None), 0.3))
        elif a.level == "city":
            out.append(Duty(a.official_id, _lines(session, srid, a.river_id, None), 1.0))
        elif a.level == "county" and a.county_code:
            out.append(Duty(a.official_id, _lines(session, srid, a.river_id, a.county_code), 2.0))
    return [d for d in out if d.lines]


def _walk(line: shapely.LineString, rng: random.Random, kind: str) -> tuple[np.ndarray, float]:
    """Fixes (x, y, seconds from start) along ``line``; ``kind`` picks speed, length, offset."""
    walking = rng.random() < 0.6 if kind == "normal" else kind != "no_move"
    speed = rng.uniform(3.0, 5.0) if walking else rng.uniform(20.0, 40.0)  # km/h
    length = rng.uniform(1.5, 5.0) * 1000 if walking else rng.uniform(8.0, 25.0) * 1000
    if kind == "brief":  # a 5-minute look from the car
        speed, length = 30.0, 2500.0
    elif kind == "stroll":  # 20 minutes around one spot, under 1 km
        speed, length = 2.0, 600.0
    length = min(length, line.length * 0.95)
    start = rng.uniform(0.0, line.length - length)
    step = speed / 3.6 * 10.0  # one fix every 10 s
    along = np.arange(start, start + length, step)
    if rng.random() < 0.5:
        along = along[::-1]  # downstream or upstream
    pts = shapely.get_coordinates(shapely.line_interpolate_point(line, along))
    ahead = shapely.get_coordinates(shapely.line_interpolate_point(line, along + 1.0))
    tangent = ahead - pts
    norm = np.hypot(tangent[:, 0], tangent[:, 1])
    norm[norm == 0] = 1.0
    normal = np.column_stack([-tangent[:, 1], tangent[:, 0]]) / norm[:, None]
    offset = rng.uniform(700.0, 900.0) if kind == "far_bank" else rng.uniform(30.0, 250.0)
    side = rng.choice((-1.0, 1.0))
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0.0, 6.0, pts.shape)
    xy = pts + normal * offset * side + noise
    seconds = np.arange(len(xy)) * 10.0
    return np.column_stack([xy, seconds]), speed


def fixes(
    arr: np.ndarray, start: datetime, to_wgs: Transformer, rng: random.Random, timed: bool
) -> list[TrackPoint]:
    lon, lat = to_wgs.transform(arr[:, 0], arr[:, 1])
    if len(arr) > 40 and rng.random() < 0.2:  # lost signal for 3-8 minutes
        cut = rng.randrange(10, len(arr) - 30)
        keep = np.r_[0:cut, cut + rng.randrange(18, 48) : len(arr)]
        lon, lat, arr = lon[keep], lat[keep], arr[keep]
    pts = [
        TrackPoint(float(x), float(y), start + timedelta(seconds=float(s)) if timed else None)
        for x, y, s in zip(lon, lat, arr[:, 2], strict=True)
    ]
    if timed and len(pts) > 10 and rng.random() < 0.1:  # one GPS spike, ~3 km out and back
        i = rng.randrange(2, len(pts) - 2)
        p = pts[i]
        pts[i] = TrackPoint(p.lon + 0.03, p.lat + 0.01, p.time)
    return pts


def _column(rows: list[dict[str, Any]], key: str) -> list[Any]:
    return [r[key] for r in rows]


def synthetic_row(
    chief_id: int,
    day: date,
    arr: np.ndarray,
    start: datetime,
    to_wgs: Transformer,
    rng: random.Random,
    timed: bool = True,
) -> dict[str, Any]:
    """One synthetic patrol from metric fixes ``arr`` (x, y, seconds): cleaned like an upload,
    its raw GPX kept, ready for :func:`insert_synthetic`."""
    cleaned = clean_track(ParsedTrack("gpx", [fixes(arr, start, to_wgs, rng, timed)]))
    seg = cleaned.track.segments[0]
    parts = [np.array([(p.lon, p.lat, p.time.timestamp() if p.time else math.nan) for p in seg])]
    started = seg[0].time if timed else None
    ended = seg[-1].time if timed else None
    sketch = Patrol(id=0, patrol_date=day)  # only for the GPX writer's name
    raw = track_gpx(sketch, parts, name=f"演示巡河 {day.isoformat()}").encode()
    return {
        "chief_id": chief_id,
        "sha": hashlib.sha256(raw).hexdigest(),
        "raw": raw,
        "day": day,
        "started": started,
        "ended": ended,
        "timed": timed,
        "duration": (ended - started).total_seconds() / 60.0 if started and ended else None,
        "points": len(seg),
        "notes": rng.choice(NOTES),
        "cleaning": json.dumps(
            {
                "dropped_invalid": cleaned.dropped_invalid,
                "dropped_duplicates": cleaned.dropped_duplicates,
                "dropped_spikes": cleaned.dropped_spikes,
            }
        ),
        "wkb": track_wkb(parts),
    }


def insert_synthetic(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """Two statements for all rows (unnest of arrays): raw uploads, then patrols."""
    if not rows:
        return []
    session.execute(
        text(
            "INSERT INTO patrol_upload (sha256, size_bytes, filename, content_type, data, "
            "region_code) "
            "SELECT sha, length(raw), 'synthetic.gpx', 'application/gpx+xml', raw, "
            "region_of_chief(chief) "
            "FROM unnest(CAST(:shas AS text[]), CAST(:raws AS bytea[]), CAST(:chiefs AS int[])) "
            "AS t(sha, raw, chief) "
            "ON CONFLICT DO NOTHING"
        ),
        {
            "shas": _column(rows, "sha"),
            "raws": _column(rows, "raw"),
            "chiefs": _column(rows, "chief_id"),
        },
    )
    result = session.execute(
        text(
            "INSERT INTO patrol (chief_id, upload_sha256, format, datum, patrol_date, started_at, "
            "ended_at, has_times, duration_min, length_m, points, notes, warnings, cleaning, "
            "valid, invalid_reasons, is_synthetic, geom, region_code) "
            "SELECT chief, sha, 'gpx', 'wgs84', day, started, ended, timed, duration, 0, pts, "
            "notes, '{}', CAST(cleaning AS jsonb), false, '{}', true, "
            "ST_SetSRID(ST_GeomFromWKB(wkb), 4326), region_of_chief(chief) "
            "FROM unnest(CAST(:chiefs AS int[]), CAST(:shas AS text[]), CAST(:days AS date[]), "
            "CAST(:starteds AS timestamptz[]), CAST(:endeds AS timestamptz[]), "
            "CAST(:timeds AS boolean[]), CAST(:durations AS float8[]), CAST(:points AS int[]), "
            "CAST(:notes AS text[]), CAST(:cleanings AS text[]), CAST(:wkbs AS bytea[])) "
            "AS t(chief, sha, day, started, ended, timed, duration, pts, notes, cleaning, wkb) "
            "ON CONFLICT DO NOTHING RETURNING id"
        ),
        {
            "chiefs": _column(rows, "chief_id"),
            "shas": _column(rows, "sha"),
            "days": _column(rows, "day"),
            "starteds": _column(rows, "started"),
            "endeds": _column(rows, "ended"),
            "timeds": _column(rows, "timed"),
            "durations": _column(rows, "duration"),
            "points": _column(rows, "points"),
            "notes": _column(rows, "notes"),
            "cleanings": _column(rows, "cleaning"),
            "wkbs": _column(rows, "wkb"),
        },
    )
    return [int(r[0]) for r in result]


def generate(
    session: Session, year: int, count: int, until: date | None = None, seed: int | None = None
) -> dict[str, int]:
    """Add ``count`` synthetic patrols dated in ``year`` (up to ``until``); returns counts."""
    last = min(date(year, 12, 31), until or date(year, 12, 31))
    first = date(year, 1, 1)
    if last < first or count <= 0:
        return {"patrols": 0, "valid": 0}
    existing = (
        session.scalar(
            select(func.count())
            .select_from(Patrol)
            .where(Patrol.is_synthetic, func.extract("year", Patrol.patrol_date) == year)
        )
        or 0
    )
    rng = random.Random(seed if seed is not None else year * 1000 + int(existing))
    srid = get_settings().metric_srid
    to_wgs = Transformer.from_crs(srid, 4326, always_xy=True)
    rows: list[dict[str, Any]] = []
    pool = duties(session, last)
    if not pool:
        return {"patrols": 0, "valid": 0}
    weights = [d.weight for d in pool]
    for _ in range(count):
        duty = rng.choices(pool, weights)[0]
        line = rng.choices(duty.lines, [ln.length for ln in duty.lines])[0]
        day = first + timedelta(days=rng.randrange((last - first).days + 1))
        local_start = datetime.combine(day, time(8), tzinfo=LOCAL_TZ) + timedelta(
            minutes=rng.randrange(0, 8 * 60)
        )
        roll = rng.random()
        kind = (
            "brief"
            if roll < 0.07
            else "stroll"
            if roll < 0.12
            else "far_bank"
            if roll < 0.16
            else "normal"
        )
        timed = not (kind == "normal" and rng.random() < 0.04)
        arr, _speed = _walk(line, rng, kind)
        if len(arr) < 3:
            continue
        start = local_start.astimezone(UTC)
        rows.append(synthetic_row(duty.official_id, day, arr, start, to_wgs, rng, timed))
    return store_synthetic(session, rows)


def store_synthetic(session: Session, rows: list[dict[str, Any]]) -> dict[str, int]:
    """Insert the rows of :func:`synthetic_row`, then measure, match and judge them in bulk."""
    ids = insert_synthetic(session, rows)
    measure_lengths(session, ids)
    match_patrols(session, ids)
    judge_patrols(session, ids)
    valid = session.scalar(
        select(func.count()).select_from(Patrol).where(Patrol.id.in_(ids), Patrol.valid)
    )
    return {"patrols": len(ids), "valid": int(valid or 0)}


def load_demo_patrols(session: Session) -> dict[str, dict[str, int]]:
    """Activity step: last year in full and this year to date, once (idempotent)."""
    today = today_local()
    report = {}
    # Township and village chiefs' patrols are the reaches domain's demo step, not these.
    lower = select(Assignment.official_id).where(Assignment.level.in_(("township", "village")))
    for year, count, until in ((today.year - 1, 120, None), (today.year, 110, today)):
        has = session.scalar(
            select(func.count())
            .select_from(Patrol)
            .where(
                Patrol.is_synthetic,
                func.extract("year", Patrol.patrol_date) == year,
                Patrol.chief_id.not_in(lower),
            )
        )
        report[str(year)] = (
            {"patrols": 0, "valid": 0, "skipped_existing": int(has)}
            if has
            else generate(session, year, count, until)
        )
    return report
