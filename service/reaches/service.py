"""Writes of reaches: cut a township or village reach, end a reach; codes and names.

The city reach and the county reaches follow the segments (``service.reaches.placement``);
the office cuts township reaches inside a county reach of their county, and village reaches
inside a township reach of their township, by measure or by two points snapped to the line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from geoalchemy2.shape import from_shape
from shapely import Point
from sqlalchemy import ColumnElement, and_, func, or_, select, text, true, update
from sqlalchemy.orm import Session

from service.errors import Conflict, InvalidInput, NotFound
from service.officials.models import Assignment
from service.reaches.geometry import place, refresh_geometry
from service.reaches.models import Reach, Township
from service.reaches.queries import admin_names
from service.reaches.schemas import ReachCutIn
from service.rivers.models import River
from service.settings import get_settings

PARENT_LEVEL = {"county": "city", "township": "county", "village": "township"}
#: Shorter than this is a slip of the mouse, not a reach (metres).
MIN_REACH_M = 20.0
#: Overlaps shorter than this (metres) are where two reaches meet, not a conflict.
TOUCH_M = 1.0


def next_code(session: Session, prefix: str) -> str:
    """The next free reach code ``prefix`` + 6 digits; serialised per prefix (advisory lock
    held to the end of the transaction, so two cuts in one county never take one number)."""
    session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"reach:{prefix}"})
    last = session.scalar(select(func.max(Reach.code)).where(Reach.code.startswith(prefix)))
    seq = int(last[len(prefix) :]) + 1 if last else 1
    if seq > 999_999:
        raise Conflict(f"no free reach code left under {prefix}")
    return f"{prefix}{seq:06d}"


def reach_name(river: str, place_name: str, village: str | None, nth: int = 1) -> str:
    """大渡河沙湾区段, 大渡河沙湾镇新华村段; a second reach of one county gets （2）."""
    base = f"{river}{place_name}{village or ''}段"
    return base if nth <= 1 else f"{base}（{nth}）"


def lock_river(session: Session, river_id: int) -> None:
    """Serialise reach writes of one river (overlap checks read, then write)."""
    session.execute(
        text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"reach-river:{river_id}"}
    )


def _overlaps(lo: float, hi: float) -> ColumnElement[bool]:
    """Reaches sharing more than a meeting point with [lo, hi]."""
    return and_(Reach.from_m < hi - TOUCH_M, Reach.to_m > lo + TOUCH_M)


def _period_overlaps(valid_from: date, valid_to: date | None) -> ColumnElement[bool]:
    cond = or_(Reach.valid_to.is_(None), Reach.valid_to >= valid_from)
    if valid_to is not None:
        return and_(cond, Reach.valid_from <= valid_to)
    return cond


def _bank_overlaps(bank: str | None) -> ColumnElement[bool]:
    """Banks that share ground: no bank or 'both' shares with all, left and right do not."""
    if bank in (None, "both"):
        return true()
    return or_(Reach.bank.is_(None), Reach.bank == "both", Reach.bank == bank)


def _covers_period(parent: Reach, valid_from: date, valid_to: date | None) -> bool:
    if parent.valid_from > valid_from:
        return False
    if parent.valid_to is None:
        return True
    return valid_to is not None and valid_to <= parent.valid_to


@dataclass(frozen=True)
class Measures:
    from_m: float
    to_m: float
    start: tuple[float, float]
    end: tuple[float, float]


def _measures(session: Session, river: River, data: ReachCutIn) -> Measures:
    """Measures and end points from the body: given measures, or two points snapped."""
    if data.points is not None:
        _, snapped = place(session, river.id, points=data.points)
        if len(snapped) != 2:
            raise InvalidInput(f"river {river.name} has no line inside the city to cut")
        limit = max(get_settings().problem_snap_limit_m, river.patrol_tolerance_m)
        for n, p in enumerate(snapped, start=1):
            if p.distance_m > limit:
                raise InvalidInput(
                    f"point {n} lies {p.distance_m:.0f} m from {river.name}, farther than "
                    f"{limit:.0f} m: click on the river",
                    code="point_off_river",
                )
        a, b = sorted(snapped, key=lambda p: p.measure_m)
        return Measures(a.measure_m, b.measure_m, (a.lon, a.lat), (b.lon, b.lat))
    assert data.from_m is not None and data.to_m is not None
    ends, _ = place(session, river.id, measures=[data.from_m, data.to_m])
    if len(ends) != 2:
        raise InvalidInput(f"river {river.name} has no line inside the city to cut")
    return Measures(
        ends[0].measure_m, ends[1].measure_m, (ends[0].lon, ends[0].lat), (ends[1].lon, ends[1].lat)
    )


def _parent(session: Session, data: ReachCutIn, township: Township, m: Measures) -> Reach:
    """The reach the new one nests in: a county reach of the township's county (township
    level), or a township reach of the same township (village level)."""
    want_level = PARENT_LEVEL[data.level]
    want_code = township.county_code if data.level == "township" else township.code
    candidates = session.scalars(
        select(Reach).where(
            Reach.river_id == data.river_id,
            Reach.level == want_level,
            Reach.admin_code == want_code,
            Reach.from_m <= m.from_m + TOUCH_M,
            Reach.to_m >= m.to_m - TOUCH_M,
        )
    ).all()
    for parent in candidates:
        if _covers_period(parent, data.valid_from, data.valid_to):
            return parent
    names = admin_names(session, [want_code])
    raise InvalidInput(
        f"no {want_level} reach of {names.get(want_code, want_code)} on this river holds "
        f"{m.from_m:.0f}-{m.to_m:.0f} m for the whole period: a {data.level} reach lies inside "
        f"its {want_level}'s"
        + (" (cut the township reach first)" if want_level == "township" else ""),
        code="not_nested",
    )


def cut_reach(session: Session, data: ReachCutIn, *, is_demo: bool = False) -> Reach:
    """Check and add a township or village reach; 422 / 404 / 409 before anything is written."""
    river = session.get(River, data.river_id)
    if river is None:
        raise NotFound(f"river {data.river_id} not found")
    township = session.get(Township, data.admin_code)
    if township is None:
        raise InvalidInput(f"{data.admin_code} is not a township code of this city")
    lock_river(session, river.id)
    m = _measures(session, river, data)
    if m.to_m - m.from_m < MIN_REACH_M:
        raise InvalidInput(
            f"the reach would be {m.to_m - m.from_m:.0f} m long (from {m.from_m:.0f} m to "
            f"{m.to_m:.0f} m): at least {MIN_REACH_M:.0f} m of the river inside the city"
        )
    parent = _parent(session, data, township, m)
    clash = session.scalar(
        select(Reach)
        .where(
            Reach.river_id == river.id,
            Reach.level == data.level,
            _overlaps(m.from_m, m.to_m),
            _period_overlaps(data.valid_from, data.valid_to),
            _bank_overlaps(data.bank),
        )
        .limit(1)
    )
    if clash is not None:
        raise Conflict(
            f"overlaps {data.level} reach {clash.code} ({clash.name}, {clash.from_m:.0f}-"
            f"{clash.to_m:.0f} m) in the same period and bank",
            reach_id=clash.id,
        )
    names = admin_names(session, [township.code])
    same = session.scalar(
        select(func.count())
        .select_from(Reach)
        .where(
            Reach.river_id == river.id,
            Reach.admin_code == township.code,
            Reach.level == data.level,
            Reach.village_name.is_not_distinct_from(data.village_name),
        )
    )
    reach = Reach(
        river_id=river.id,
        level=data.level,
        admin_code=township.code,
        village_name=data.village_name,
        code=next_code(session, township.county_code),
        name=reach_name(
            river.name, names.get(township.code, township.code), data.village_name, (same or 0) + 1
        ),
        parent_id=parent.id,
        from_m=m.from_m,
        to_m=m.to_m,
        bank=data.bank,
        start_geom=from_shape(Point(m.start), srid=4326),
        end_geom=from_shape(Point(m.end), srid=4326),
        valid_from=data.valid_from,
        valid_to=data.valid_to,
        is_demo=is_demo,
    )
    session.add(reach)
    session.flush()
    refresh_geometry(session, [reach.id])
    session.refresh(reach, ["length_m"])
    return reach


def end_reach(session: Session, reach_id: int, valid_to: date) -> list[int]:
    """End a reach on ``valid_to`` (its last day), with the reaches nested in it and the
    assignments to any of them still running then; returns the ids of the ended reaches."""
    reach = session.get(Reach, reach_id)
    if reach is None:
        raise NotFound(f"reach {reach_id} not found")
    if valid_to < reach.valid_from:
        raise InvalidInput(f"valid_to {valid_to} is before the reach's valid_from")
    if reach.valid_to is not None and reach.valid_to <= valid_to:
        raise Conflict(f"reach {reach.code} already ended on {reach.valid_to}")
    if reach.level in ("city", "county"):
        raise InvalidInput(
            "city and county reaches follow the river's segments: they end when the river "
            "is re-imported without them"
        )
    lock_river(session, reach.river_id)
    ended = [reach.id]
    frontier = [reach.id]
    while frontier:
        children = session.scalars(
            select(Reach.id).where(
                Reach.parent_id.in_(frontier),
                or_(Reach.valid_to.is_(None), Reach.valid_to > valid_to),
            )
        ).all()
        ended.extend(children)
        frontier = list(children)
    session.execute(
        update(Reach)
        .where(Reach.id.in_(ended), or_(Reach.valid_to.is_(None), Reach.valid_to > valid_to))
        .values(valid_to=func.greatest(Reach.valid_from, valid_to))
    )
    session.execute(
        update(Assignment)
        .where(
            Assignment.reach_id.in_(ended),
            or_(Assignment.valid_to.is_(None), Assignment.valid_to > valid_to),
        )
        .values(valid_to=func.greatest(Assignment.valid_from, valid_to))
    )
    session.flush()
    return ended
