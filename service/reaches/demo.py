"""A year of synthetic patrols of the demo township and village chiefs (``is_synthetic``).

Each chief walks their own reach along one bank (30-150 m from the line, ~6 m GPS noise, a
fix every 15 s, 3-4.5 km/h, 2.4-4.5 km, out and back on a short reach): township chiefs once
a month, village chiefs once a week, as their level's rule asks. Most are diligent; every
fourth chief skips about a third of the periods, so compliance and the to-do show both.
Matching and judging run in bulk like the other demo patrols.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.officials.models import Assignment
from service.patrols.demo import store_synthetic, synthetic_row
from service.patrols.models import Patrol
from service.reaches.models import Reach
from service.settings import get_settings
from service.timeutil import LOCAL_TZ, today_local

STEP_S = 15.0


def _walk(line: shapely.LineString, rng: random.Random) -> np.ndarray:
    """Fixes (x, y, seconds) along ``line`` (metric CRS) on one bank."""
    speed = rng.uniform(3.0, 4.5) / 3.6  # m/s
    want = rng.uniform(2400.0, 4500.0)
    step = speed * STEP_S
    if line.length * 0.95 >= want:
        start = rng.uniform(0.0, line.length - want)
        along = np.arange(start, start + want, step)
    else:  # a short reach: there and back
        out = np.arange(0.0, line.length, step)
        along = np.concatenate([out, out[::-1]])
    pts = shapely.get_coordinates(shapely.line_interpolate_point(line, along))
    ahead = shapely.get_coordinates(
        shapely.line_interpolate_point(line, np.minimum(along + 1.0, line.length))
    )
    tangent = ahead - pts
    norm = np.hypot(tangent[:, 0], tangent[:, 1])
    norm[norm == 0] = 1.0
    normal = np.column_stack([-tangent[:, 1], tangent[:, 0]]) / norm[:, None]
    offset = rng.uniform(30.0, 150.0) * rng.choice((-1.0, 1.0))
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0.0, 6.0, pts.shape)
    xy = pts + normal * offset + noise
    return np.column_stack([xy, np.arange(len(xy)) * STEP_S])


def _days(level: str, first: date, last: date, rng: random.Random, keen: float) -> list[date]:
    """One day per month (township) or per ISO week (village) in [first, last], skipping
    a period with probability 1 - ``keen``."""
    out = []
    if level == "township":
        start = date(first.year, first.month, 1)
        while start <= last:
            nxt = date(start.year + start.month // 12, start.month % 12 + 1, 1)
            lo, hi = max(start, first), min(nxt - timedelta(days=1), last)
            if rng.random() < keen:
                out.append(lo + timedelta(days=rng.randrange((hi - lo).days + 1)))
            start = nxt
    else:
        monday = first - timedelta(days=first.weekday())
        while monday <= last:
            lo, hi = max(monday, first), min(monday + timedelta(days=6), last)
            if rng.random() < keen:
                out.append(lo + timedelta(days=rng.randrange((hi - lo).days + 1)))
            monday += timedelta(days=7)
    return out


def generate(session: Session, first: date, last: date, seed: int = 18) -> dict[str, int]:
    """Synthetic patrols of the demo township and village chiefs dated ``first``..``last``."""
    srid = get_settings().metric_srid
    to_wgs = Transformer.from_crs(srid, 4326, always_xy=True)
    rng = random.Random(seed)
    chiefs = session.execute(
        select(
            Assignment.official_id,
            Reach.level,
            func.ST_AsBinary(func.ST_LineMerge(func.ST_Transform(Reach.geom, srid))),
        )
        .join(Reach, Reach.id == Assignment.reach_id)
        .where(
            Assignment.is_demo,
            Assignment.role == "river_chief",
            Assignment.level.in_(("township", "village")),
            Reach.geom.is_not(None),
        )
        .order_by(Assignment.official_id)
    ).all()
    rows: list[dict[str, Any]] = []
    for n, (official_id, level, wkb) in enumerate(chiefs):
        geom = shapely.from_wkb(bytes(wkb))
        lines = [g for g in getattr(geom, "geoms", [geom]) if g.length > 200]
        if not lines or official_id is None:
            continue
        line = max(lines, key=lambda g: g.length)
        keen = 0.65 if n % 4 == 3 else 0.97
        for day in _days(level, first, last, rng, keen):
            local = datetime.combine(day, time(8), tzinfo=LOCAL_TZ)
            start = (local + timedelta(minutes=rng.randrange(0, 9 * 60))).astimezone(UTC)
            rows.append(synthetic_row(official_id, day, _walk(line, rng), start, to_wgs, rng))
    return store_synthetic(session, rows)


def load_demo_reach_patrols(session: Session) -> dict[str, int]:
    """Demo step: the last 365 days of township and village patrols, once (idempotent)."""
    has = session.scalar(
        select(func.count())
        .select_from(Patrol)
        .join(Assignment, Assignment.official_id == Patrol.chief_id)
        .where(Patrol.is_synthetic, Assignment.level.in_(("township", "village")))
    )
    if has:
        return {"patrols": 0, "skipped_existing": int(has)}
    today = today_local()
    return generate(session, today - timedelta(days=364), today)
