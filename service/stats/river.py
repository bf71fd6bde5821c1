"""One river's panel in one request (issue 17): the river on a day, its coverage in the period
and per month, its municipal chiefs' patrol duty (staff) and its open problems.

Each part is read through the function behind its own endpoint (``/rivers/{id}``,
``/coverage``, ``/compliance``, ``/problems.geojson``), so the panel shows what those lists
show; the map page asked them one by one (about fifteen requests per click).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from service.auth.scope import Scope
from service.errors import InvalidInput
from service.officials.river_roster import get_river
from service.officials.schemas import RiverDetail
from service.patrols import coverage as coverage_q
from service.patrols.compliance import compliance
from service.patrols.schemas import ComplianceRow, CoverageRow
from service.problems import queries as problem_q
from service.timeutil import today_local

#: Problem states still being handled (the map's "open" problems).
OPEN_STATES = ["reported", "assigned", "rectifying", "rectified", "verified", "reopened"]
MAX_MONTHS = 12
MAX_PROBLEMS = 500


class MonthCoverage(BaseModel):
    label: str = Field(description="the month's number, 1..12")
    from_: date = Field(alias="from")
    to: date
    coverage: CoverageRow | None

    model_config = ConfigDict(populate_by_name=True)


class RiverPanel(BaseModel):
    """What the map's river panel shows, in one answer."""

    river: RiverDetail
    from_: date = Field(alias="from")
    to: date
    coverage: CoverageRow | None = Field(description="the period (None: not shown to the caller)")
    months: list[MonthCoverage] = Field(description="whole months touching the period, to today")
    compliance: list[ComplianceRow] | None = Field(
        description="the river's municipal chiefs' duty in the period's year (staff only)"
    )
    problems: dict[str, Any] = Field(description="open problems, as /problems.geojson has them")

    model_config = ConfigDict(populate_by_name=True)


def months(start: date, end: date, today: date) -> list[tuple[str, date, date]]:
    """Whole months touching ``start..end`` up to today (the last twelve): each is at least
    28 days, the shortest coverage period the public may read."""
    out = []
    first = date(start.year, start.month, 1)
    while first <= end and first <= today:
        nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        out.append((str(first.month), first, nxt - timedelta(days=1)))
        first = nxt
    return out[-MAX_MONTHS:]


def _row(session: Session, start: date, end: date, river_id: int) -> CoverageRow | None:
    rows = coverage_q.river_coverage(session, start, end, river_id)
    return rows[0] if rows else None


def river_panel(
    session: Session,
    scope: Scope,
    river_id: int,
    on: date,
    start: date,
    end: date,
    *,
    coverage: bool,
    staff: bool,
) -> RiverPanel:
    """The panel of ``river_id`` as ``scope`` sees it. ``coverage``: the caller may read the
    period's coverage (the public: periods of 28 days or more); ``staff``: compliance too."""
    if (end - start).days > 366 * 3:
        raise InvalidInput("the period is longer than about three years", code="period_too_long")
    river = get_river(session, river_id, on)
    today = today_local()
    rows = [
        MonthCoverage(
            label=label, **{"from": first}, to=last, coverage=_row(session, first, last, river_id)
        )
        for label, first, last in months(start, end, today)
    ]
    duty = None
    if staff:
        city = {c.id for c in river.chiefs if c.level == "city"}
        duty = [r for r in compliance(session, start.year) if r.official_id in city] if city else []
    problems = problem_q.problems_geojson(
        session, scope, MAX_PROBLEMS, river_id=river_id, state=OPEN_STATES
    )
    return RiverPanel(
        river=river,
        **{"from": start},
        to=end,
        coverage=_row(session, start, end, river_id) if coverage else None,
        months=rows,
        compliance=duty,
        problems=problems,
    )
