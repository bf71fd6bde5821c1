"""Place reaches on a river's (re-)cut segments: the re-cut hook of the reaches domain.

- The city reach is the whole river inside the city: from the first segment's start to the
  last one's end.
- County reaches follow the county segments: each current one is matched to the new segment
  of its county it overlaps most (found from its stored end points); a new segment no county
  reach matches gets a new county reach (a river now crossing a county it did not).
- Township and village reaches are placed again from their stored end points (where the
  office cut them), snapped to the new line and kept inside their parent reach.

Any reach whose stored end points lie farther from the new line than the river's patrol
tolerance is reported: the office should look at it. The reaches that moved are left in
``session.info[RECUT_REPORTS]["reaches_moved"]`` for the command that re-imported the line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from geoalchemy2 import WKBElement
from geoalchemy2.shape import from_shape
from pyproj import Geod
from shapely import Point
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.areas.models import AdminArea
from service.reaches.geometry import place, refresh_geometry
from service.reaches.models import Reach
from service.reaches.queries import LonLat, admin_names, reach_ends
from service.reaches.schemas import Moved, ReplaceReport
from service.reaches.service import MIN_REACH_M, next_code, reach_name
from service.rivers.geography import RECUT_REPORTS
from service.rivers.models import River, Segment
from service.settings import get_settings
from service.timeutil import today_local

#: Reaches that follow the segments exist as long as the river does in the registry: from the
#: day the river chief system began nationally (《关于全面推行河长制的意见》, 2016-12-11), so
#: a roster can be entered for any day since.
DERIVED_SINCE = date(2016, 12, 11)
_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class Piece:
    """A segment as the placement needs it."""

    id: int
    county_code: str
    from_m: float
    to_m: float
    start: tuple[float, float]
    end: tuple[float, float]


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(_GEOD.inv(a[0], a[1], b[0], b[1])[2])


def point_wkb(xy: tuple[float, float]) -> WKBElement:
    """A WGS84 point (lon, lat) for a geometry column."""
    return from_shape(Point(xy), srid=4326)


def _pieces(session: Session, river_id: int) -> list[Piece]:
    rows = session.execute(
        select(
            Segment.id,
            Segment.county_code,
            Segment.from_m,
            Segment.to_m,
            func.ST_X(func.ST_StartPoint(Segment.geom)),
            func.ST_Y(func.ST_StartPoint(Segment.geom)),
            func.ST_X(func.ST_EndPoint(Segment.geom)),
            func.ST_Y(func.ST_EndPoint(Segment.geom)),
        )
        .where(Segment.river_id == river_id)
        .order_by(Segment.from_m, Segment.id)
    ).all()
    return [Piece(r[0], r[1], r[2], r[3], (r[4], r[5]), (r[6], r[7])) for r in rows]


Ends = dict[int, tuple[LonLat, LonLat]]


class _Placer:
    """Places the reaches of one river; collects what moved."""

    def __init__(self, session: Session, river: River) -> None:
        self.session, self.river = session, river
        self.tolerance = river.patrol_tolerance_m
        self.moved: list[Moved] = []
        self.added: list[str] = []
        self.names: dict[str, str] = {}
        self.today = today_local()

    def report(self, reach: Reach, moved_m: float | None, note: str) -> None:
        """Note ``reach`` if it moved beyond tolerance (None: it could not be placed)."""
        if moved_m is None or moved_m > self.tolerance:
            self.moved.append(
                Moved(
                    reach_id=reach.id,
                    code=reach.code,
                    level=reach.level,
                    moved_m=None if moved_m is None else round(moved_m, 1),
                    from_m=round(reach.from_m, 1),
                    to_m=round(reach.to_m, 1),
                    note=note,
                )
            )

    def new_reach(
        self, level: str, code6: str, piece_range: tuple[Piece, Piece], nth: int
    ) -> Reach:
        first, last = piece_range
        name = self.names.get(code6, code6)
        reach = Reach(
            river_id=self.river.id,
            level=level,
            admin_code=code6,
            code=next_code(self.session, code6),
            name=reach_name(self.river.name, name, None, nth),
            from_m=first.from_m,
            to_m=last.to_m,
            start_geom=point_wkb(first.start),
            end_geom=point_wkb(last.end),
            valid_from=DERIVED_SINCE,
        )
        self.session.add(reach)
        self.session.flush()
        self.added.append(reach.code)
        return reach

    def current(self, reach: Reach) -> bool:
        """In force today (or later): ended reaches keep their place but match nothing."""
        return reach.valid_to is None or reach.valid_to >= self.today

    def set_range(
        self,
        reach: Reach,
        lo: float,
        hi: float,
        start: tuple[float, float] | None = None,
        end: tuple[float, float] | None = None,
    ) -> None:
        reach.from_m, reach.to_m = lo, max(hi, lo + 1e-3)
        if start is not None:
            reach.start_geom = point_wkb(start)
        if end is not None:
            reach.end_geom = point_wkb(end)


def _place_city(
    placer: _Placer, reaches: list[Reach], pieces: list[Piece], ends: Ends
) -> Reach | None:
    """Every city reach covers the whole river in the city; one is made if none is current."""
    city_code = get_settings().focus_city_code
    cities = [r for r in reaches if r.level == "city"]
    current = next((r for r in cities if placer.current(r)), None)
    if current is None and placer.session.get(AdminArea, city_code) is not None:
        current = placer.new_reach("city", city_code, (pieces[0], pieces[-1]), 1)
        cities.append(current)
    for r in cities:
        old = ends.get(r.id)
        placer.set_range(r, pieces[0].from_m, pieces[-1].to_m, pieces[0].start, pieces[-1].end)
        if old is not None:
            moved = max(_distance(old[0], pieces[0].start), _distance(old[1], pieces[-1].end))
            placer.report(r, moved, "city reach: the river's ends in the city moved")
    return current


def _place_counties(
    placer: _Placer, reaches: list[Reach], pieces: list[Piece], ends: Ends, city: Reach | None
) -> None:
    """Match county reaches to the segments of their county; new segments get new reaches."""
    counties = sorted((r for r in reaches if r.level == "county"), key=lambda x: x.from_m)
    snapped = _snap_ends(placer.session, placer.river.id, counties, ends)
    taken: set[int] = set()
    for r in counties:
        snap = snapped.get(r.id)
        lo, hi = (snap.lo, snap.hi) if snap is not None else (r.from_m, r.to_m)
        mine = [p for p in pieces if p.county_code == r.admin_code and p.id not in taken]
        if not mine:
            placer.report(r, None, "no segment of its county remains on the new line")
            continue
        best = max(mine, key=lambda p: (min(p.to_m, hi) - max(p.from_m, lo), -abs(p.from_m - lo)))
        if placer.current(r):
            taken.add(best.id)
        old = ends.get(r.id)
        placer.set_range(r, best.from_m, best.to_m, best.start, best.end)
        if city is not None:
            r.parent_id = city.id
        if old is not None:
            moved = max(_distance(old[0], best.start), _distance(old[1], best.end))
            placer.report(r, moved, "county reach: its segment's ends moved")
    nth: dict[str, int] = {}
    for r in counties:
        nth[r.admin_code] = nth.get(r.admin_code, 0) + 1
    for p in pieces:
        if p.id not in taken:
            nth[p.county_code] = nth.get(p.county_code, 0) + 1
            made = placer.new_reach("county", p.county_code, (p, p), nth[p.county_code])
            made.parent_id = city.id if city is not None else None


def _place_lower(placer: _Placer, reaches: list[Reach], ends: Ends) -> None:
    """Township reaches, then village reaches: from their stored end points, in the parent."""
    lower = sorted(
        (r for r in reaches if r.level in ("township", "village")),
        key=lambda x: (x.level != "township", x.from_m),
    )
    snapped = _snap_ends(placer.session, placer.river.id, lower, ends)
    by_id = {r.id: r for r in reaches}
    for r in lower:
        snap = snapped.get(r.id)
        if snap is None:
            continue
        lo, hi = snap.lo, snap.hi
        parent = by_id.get(r.parent_id) if r.parent_id else None
        if parent is not None:
            lo, hi = max(lo, parent.from_m), min(hi, parent.to_m)
        note = "its stored end points lie away from the new line"
        if hi - lo < MIN_REACH_M:
            note = "its end points fall together on the new line: re-cut it"
            hi = lo + MIN_REACH_M
        placer.set_range(r, lo, hi)
        placer.report(r, snap.distance_m, note)


def _place_river(session: Session, river: River) -> ReplaceReport:
    pieces = _pieces(session, river.id)
    reaches = list(session.scalars(select(Reach).where(Reach.river_id == river.id)).all())
    placer = _Placer(session, river)
    if pieces:
        placer.names = admin_names(
            session, {get_settings().focus_city_code, *(p.county_code for p in pieces)}
        )
        ends = reach_ends(session, reaches)
        city = _place_city(placer, reaches, pieces, ends)
        _place_counties(placer, reaches, pieces, ends, city)
        session.flush()
        _place_lower(placer, reaches, ends)
        session.flush()
    ids = list(session.scalars(select(Reach.id).where(Reach.river_id == river.id)).all())
    refresh_geometry(session, ids)
    return ReplaceReport(
        river_id=river.id,
        tolerance_m=river.patrol_tolerance_m,
        reaches=len(ids),
        moved=placer.moved,
        added=placer.added,
    )


@dataclass(frozen=True)
class Snap:
    """Where a reach's stored end points fall on the current line: measures, and the larger
    geodesic distance (metres) from a stored point to the line."""

    lo: float
    hi: float
    distance_m: float


def _snap_ends(
    session: Session,
    river_id: int,
    reaches: list[Reach],
    ends: Ends,
) -> dict[int, Snap]:
    """Each reach's stored end points snapped onto the river's current segments."""
    known = [r for r in reaches if r.id in ends]
    points = [xy for r in known for xy in ends[r.id]]
    if not points:
        return {}
    _, placed = place(session, river_id, points=points)
    out: dict[int, Snap] = {}
    for i, r in enumerate(known):
        a, b = placed[2 * i], placed[2 * i + 1]
        out[r.id] = Snap(
            min(a.measure_m, b.measure_m),
            max(a.measure_m, b.measure_m),
            max(a.distance_m, b.distance_m),
        )
    return out


def place_reaches(session: Session, river_ids: list[int]) -> list[ReplaceReport]:
    """Hook for re-cut segments: place every reach of ``river_ids`` (see the module doc)."""
    reports = []
    for river_id in river_ids:
        river = session.get(River, river_id)
        if river is not None:
            reports.append(_place_river(session, river))
    moved = [m.model_dump() for r in reports for m in r.moved]
    session.info.setdefault(RECUT_REPORTS, {})["reaches_moved"] = moved
    return reports
