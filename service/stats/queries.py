"""The overview's figures, each read through the query behind the list it links to.

Nothing here counts on its own: coverage comes from ``service.patrols.coverage``,
compliance from ``service.patrols.compliance``, problems from ``service.problems.queries``
(with the caller's scope, so the linked list totals the same), public reports from
``service.public.queries.stats`` and cross-boundary rivers from its summary. A figure's
``list`` is the request that gives the same number back.
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.areas.models import AdminArea
from service.auth.scope import Scope
from service.cross_boundary import queries as cross_q
from service.errors import InvalidInput
from service.pagination import Page
from service.patrols import coverage as coverage_q
from service.patrols import queries as patrol_q
from service.patrols.compliance import compliance
from service.problems import queries as problem_q
from service.problems.models import CATEGORIES
from service.problems.workflow import STATE_LABELS
from service.public import queries as public_q
from service.settings import get_settings
from service.stats.schemas import (
    BehindOfficial,
    Bucket,
    ComplianceStat,
    CountyCoverageStat,
    CountyProblems,
    CrossBoundaryStats,
    Figure,
    LevelCompliance,
    MonthCount,
    Overview,
    ProblemStats,
    PublicReportStats,
    RiverCoverageStat,
)
from service.timeutil import now_utc

#: Longest period the overview answers for (about three years: 37 monthly counts at most).
MAX_PERIOD_DAYS = 3 * 366
#: Officials listed as behind (the figure per level counts them all).
MAX_BEHIND = 50
LEVELS = ("city", "county", "township", "village")


def url(path: str, **params: object) -> str:
    """``path`` with the non-empty ``params`` (``from_`` spelled ``from``) as its query."""
    query = {k.rstrip("_"): v for k, v in params.items() if v is not None}
    return f"{path}?{urlencode(query)}" if query else path


def overview_period(start: date | None, end: date | None) -> tuple[date, date]:
    """The coverage period rules (default this year to today), at most ``MAX_PERIOD_DAYS``."""
    start, end = coverage_q.period(start, end)
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise InvalidInput(
            f"the overview covers at most {MAX_PERIOD_DAYS} days; {start}..{end} is longer",
            code="period_too_long",
            field="from",
        )
    return start, end


def check_public(start: date, end: date, *, open_ended: bool) -> None:
    """The public sees periods of at least a month (as public coverage)."""
    coverage_q.check_public_period(start, end, open_ended=open_ended)


def _counties(session: Session) -> list[tuple[str, str]]:
    rows = session.execute(
        select(AdminArea.code, AdminArea.name)
        .where(AdminArea.parent_code == get_settings().focus_city_code)
        .order_by(AdminArea.code)
    ).all()
    return [(r.code, r.name) for r in rows]


def _coverage(
    session: Session, start: date, end: date, counties: list[tuple[str, str]]
) -> tuple[list[RiverCoverageStat], list[CountyCoverageStat]]:
    period = {"from_": start.isoformat(), "to": end.isoformat()}
    rivers = [
        RiverCoverageStat(
            river_id=r.river_id,
            name=r.name,
            length_km=r.length_km,
            covered_km=r.covered_km,
            coverage=Figure(
                value=r.coverage,
                list=url("/api/v1/coverage", **period),
                where={"river_id": r.river_id},
                field="coverage",
            ),
            patrols=r.patrols,
        )
        for r in coverage_q.river_coverage(session, start, end)
    ]
    counties_out = []
    for code, name in counties:
        rows = coverage_q.river_coverage(session, start, end, county_prefix=code)
        length = sum(r.length_km for r in rows)
        covered = sum(r.covered_km for r in rows)
        counties_out.append(
            CountyCoverageStat(
                code=code,
                name=name,
                length_km=round(length, 3),
                covered_km=round(covered, 3),
                coverage=Figure(
                    value=round(covered / length, 4) if length else None,
                    list=url("/api/v1/coverage", **period, county=code),
                    field="sum(covered_km) / sum(length_km)",
                ),
            )
        )
    return rivers, counties_out


def _months(start: date, end: date) -> list[tuple[str, date, date]]:
    out = []
    first = start
    while first <= end:
        nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        out.append((first.strftime("%Y-%m"), first, min(end, nxt - timedelta(days=1))))
        first = nxt
    return out


def _patrols_by_month(session: Session, scope: Scope, start: date, end: date) -> list[MonthCount]:
    one = Page(limit=1, offset=0)
    rows = []
    for label, first, last in _months(start, end):
        _, total = patrol_q.list_patrols(
            session, scope, one, patrol_q.PatrolFilter(date_from=first, date_to=last)
        )
        link = url("/api/v1/patrols", from_=first.isoformat(), to=last.isoformat())
        rows.append(
            MonthCount(
                month=label, **{"from": first}, to=last, patrols=Figure(value=total, list=link)
            )
        )
    return rows


def _compliance(session: Session, year: int) -> ComplianceStat:
    rows = compliance(session, year)
    link = url("/api/v1/compliance", year=year)
    levels = []
    for level in LEVELS:
        of_level = [r for r in rows if r.level == level]
        if not of_level:
            continue
        levels.append(
            LevelCompliance(
                level=level,
                officials=Figure(value=len(of_level), list=link, where={"level": level}),
                behind=Figure(
                    value=sum(not r.compliant for r in of_level),
                    list=link,
                    where={"level": level, "compliant": False},
                ),
            )
        )
    behind = sorted(
        (r for r in rows if not r.compliant),
        key=lambda r: (
            r.total - r.required_total,
            LEVELS.index(r.level) if r.level in LEVELS else 9,
        ),
    )
    return ComplianceStat(
        year=year,
        levels=levels,
        behind=[
            BehindOfficial(
                official_id=r.official_id,
                name=r.name,
                level=r.level,
                total=r.total,
                required_total=r.required_total,
                missing=r.missing,
            )
            for r in behind[:MAX_BEHIND]
        ],
    )


def _problems(
    session: Session,
    scope: Scope,
    public: bool,
    start: date,
    end: date,
    counties: list[tuple[str, str]],
) -> ProblemStats:
    period = {"from_": start.isoformat(), "to": end.isoformat()}
    filters = {"start": start, "end": end}

    def link(**extra: object) -> Figure:
        """The figure of the problems list with ``extra`` filters (the public map's list)."""
        if public:
            path = url("/api/v1/problems.geojson", **period, **extra, limit=20_000)
        else:
            path = url("/api/v1/problems", **period, **extra)
        wanted = {k: v for k, v in extra.items() if k in ("state", "category")}
        as_filters = {**filters, **{k: [v] if k == "state" else v for k, v in wanted.items()}}
        if "county" in extra:
            as_filters["county"] = extra["county"]
        if "overdue" in extra:
            as_filters["overdue"] = True
        return Figure(value=problem_q.count_problems(session, scope, **as_filters), list=path)

    total = link()
    closed = link(state="closed")
    by_state = problem_q.counts_by(session, scope, "state", **filters)
    by_category = problem_q.counts_by(session, scope, "category", **filters)
    state_list = link()
    return ProblemStats(
        total=total,
        closed=closed,
        closure_rate=round(float(closed.value or 0) / float(total.value), 4)
        if total.value
        else None,
        median_days_to_close=Figure(
            value=problem_q.median_days_to_close(session, scope, **filters),
            list=closed.list,
            field="median over the list of days from report to closing",
        ),
        overdue=link(overdue="true"),
        by_state=[
            Bucket(
                key=s,
                label=label,
                count=Figure(
                    value=by_state.get(s, 0),
                    list=_with(state_list.list, state=s),
                ),
            )
            for s, label in STATE_LABELS.items()
            if by_state.get(s, 0) or not public
        ],
        by_category=[
            Bucket(
                key=c,
                label=label,
                count=Figure(value=by_category.get(c, 0), list=_with(state_list.list, category=c)),
            )
            for c, label in CATEGORIES.items()
        ],
        by_county=[
            CountyProblems(
                code=code,
                name=name,
                count=link(county=code),
                overdue=link(county=code, overdue="true"),
            )
            for code, name in counties
        ],
    )


def _with(path: str, **extra: str) -> str:
    return f"{path}&{urlencode(extra)}"


def _public_reports(session: Session, start: date, end: date) -> PublicReportStats:
    stats = public_q.stats(session, start, end)
    link = url("/api/v1/public/stats", from_=start.isoformat(), to=end.isoformat())

    def fig(name: str) -> Figure:
        return Figure(value=stats[name], list=link, field=name)

    return PublicReportStats(
        received=fig("received"),
        accepted=fig("accepted"),
        closed=fig("closed"),
        pending=fig("pending"),
        median_days=fig("median_days"),
    )


def _cross_boundary(session: Session) -> CrossBoundaryStats:
    neighbors = cross_q.summary(session)
    shared = {r.river_id for n in neighbors for r in n.rivers}
    return CrossBoundaryStats(
        neighbors=Figure(value=len(neighbors), list="/api/v1/cross-boundary"),
        shared_rivers=Figure(
            value=len(shared), list="/api/v1/cross-boundary", field="distinct rivers[].river_id"
        ),
    )


def overview(
    session: Session,
    scope: Scope,
    start: date,
    end: date,
    *,
    public: bool,
    patrols: bool,
) -> Overview:
    """The overview of ``start``..``end`` as ``scope`` sees it: ``public``, public figures
    only (problems as the public map lists them, no compliance); ``patrols``, the caller may
    list patrols (the monthly counts)."""
    counties = _counties(session)
    rivers, county_cov = _coverage(session, start, end, counties)
    return Overview(
        **{"from": start},
        to=end,
        public=public,
        generated_at=now_utc(),
        coverage_rivers=rivers,
        coverage_counties=county_cov,
        patrols_by_month=_patrols_by_month(session, scope, start, end)
        if patrols and not public
        else None,
        compliance=None if public else _compliance(session, end.year),
        problems=_problems(session, scope, public, start, end, counties),
        public_reports=_public_reports(session, start, end),
        cross_boundary=_cross_boundary(session),
    )
