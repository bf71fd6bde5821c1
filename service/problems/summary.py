"""The yearly supervision summary of problems per county and per river."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.areas.models import AdminArea
from service.problems.schemas import CountySummary, ProblemSummary, RiverSummary, SummaryGroup
from service.problems.workflow import DONE_STATES, STATE_LABELS
from service.rivers.models import River
from service.settings import get_settings
from service.sql import load_sql
from service.timeutil import day_range_utc, today_local, year_bounds

OFF_RIVER_NAME = "不在登记河流上"


def _group(row: Any) -> SummaryGroup:
    judged = int(row.judged)
    median = row.median_days_to_close
    return SummaryGroup(
        total=int(row.total),
        counts={state: int(getattr(row, state)) for state in STATE_LABELS},
        overdue=int(row.overdue),
        judged=judged,
        on_time=int(row.on_time),
        on_time_rate=round(int(row.on_time) / judged, 4) if judged else None,
        closed=int(row.closed),
        median_days_to_close=None if median is None else round(float(median), 1),
    )


def _empty() -> SummaryGroup:
    return SummaryGroup(
        total=0,
        counts=dict.fromkeys(STATE_LABELS, 0),
        overdue=0,
        judged=0,
        on_time=0,
        on_time_rate=None,
        closed=0,
        median_days_to_close=None,
    )


def summary(session: Session, year: int) -> ProblemSummary:
    """Problems observed in ``year`` (Asia/Shanghai): every county of the city (zeros
    included), every river with problems (off-river ones as ``river_id`` null)."""
    start, end = day_range_utc(*year_bounds(year))
    today = today_local()
    rows = session.execute(
        load_sql("problem_summary"),
        {"start": start, "end": end, "today": today, "done_states": sorted(DONE_STATES)},
    ).all()
    counties = session.execute(
        select(AdminArea.code, AdminArea.name)
        .where(AdminArea.parent_code == get_settings().focus_city_code)
        .order_by(AdminArea.code)
    ).all()
    by_county = {r.county_code: _group(r) for r in rows if r.grp == "county"}
    river_rows = [r for r in rows if r.grp == "river"]
    names = dict(
        session.execute(
            select(River.id, River.name).where(
                River.id.in_([r.river_id for r in river_rows if r.river_id is not None])
            )
        ).all()
    )
    rivers = [
        RiverSummary(
            river_id=r.river_id,
            river_name=names.get(r.river_id, OFF_RIVER_NAME)
            if r.river_id is not None
            else OFF_RIVER_NAME,
            **dict(_group(r)),
        )
        for r in river_rows
    ]
    rivers.sort(key=lambda g: (-g.total, g.river_id is None, g.river_id or 0))
    total = next((_group(r) for r in rows if r.grp == "total"), _empty())
    if not rows or total.total == 0:
        total = _empty()
    return ProblemSummary(
        year=year,
        as_of=today,
        total=total,
        counties=[
            CountySummary(
                county_code=c.code, county_name=c.name, **dict(by_county.get(c.code, _empty()))
            )
            for c in counties
        ],
        rivers=rivers,
    )
