"""The public page a signboard's QR code opens (``/r/{reach code}``): the river, the chiefs
of the reach today, this year's patrol coverage, open problems and a 举报 button.

Read fresh on every request (no cache): when an assignment changes, the page names the new
chief at once.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.problems.models import Problem
from service.problems.workflow import OPEN_STATES
from service.reaches.coverage import Range, range_coverage
from service.reaches.models import Reach
from service.signboards.board import board_content, reach_by_code
from service.signboards.schemas import PageOut

_env = Environment(
    loader=FileSystemLoader(Path(__file__).parent),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def nested_ids(session: Session, reach_id: int) -> list[int]:
    """The reach and every reach nested in it (township and village reaches of a county)."""
    out = {reach_id}
    frontier = {reach_id}
    while frontier:
        children = set(session.scalars(select(Reach.id).where(Reach.parent_id.in_(frontier))))
        frontier = children - out
        out |= children
    return sorted(out)


def _report_point(session: Session, reach: Reach) -> tuple[float, float]:
    """A point on the reach (its line's point nearest its centroid), WGS84 lon/lat."""
    point = func.coalesce(
        func.ST_ClosestPoint(Reach.geom, func.ST_Centroid(Reach.geom)), Reach.start_geom
    )
    row = session.execute(
        select(func.ST_X(point), func.ST_Y(point)).where(Reach.id == reach.id)
    ).one()
    return float(row[0]), float(row[1])


def reach_page(session: Session, code: str, on: date, base_url: str) -> PageOut:
    reach = reach_by_code(session, code)
    content = board_content(session, reach, on, base_url)
    covered = range_coverage(
        session,
        [Range(reach.id, reach.river_id, reach.from_m, reach.to_m)],
        date(on.year, 1, 1),
        on,
    ).get(reach.id)
    open_problems = session.scalar(
        select(func.count())
        .select_from(Problem)
        .where(
            Problem.reach_id.in_(nested_ids(session, reach.id)),
            Problem.state.in_(sorted(OPEN_STATES)),
            Problem.duplicate_of.is_(None),
        )
    )
    lon, lat = _report_point(session, reach)
    query = urlencode({"reach": reach.code, "lon": f"{lon:.6f}", "lat": f"{lat:.6f}"})
    return PageOut(
        reach_id=reach.id,
        code=reach.code,
        on=on,
        ended=reach.valid_to is not None and reach.valid_to < on,
        content=content,
        coverage=round(covered.coverage, 4) if covered else 0.0,
        covered_km=round(covered.covered_m / 1000, 2) if covered else 0.0,
        patrols=covered.patrols if covered else 0,
        open_problems=int(open_problems or 0),
        report_url=f"/report?{query}#report",
    )


def page_html(page: PageOut) -> str:
    return _env.get_template("page.html").render(p=page, c=page.content)
