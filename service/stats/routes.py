"""HTTP: the 驾驶舱 overview (JSON) and the /dashboard page that draws it (issue 17)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from service.auth.deps import requires
from service.auth.matrix import allowed
from service.auth.models import UserAccount
from service.auth.scope import Scope
from service.db import SessionDep
from service.errors import InvalidInput
from service.params import FromQ, OnDep, ToQ
from service.patrols import coverage as coverage_q
from service.stats import queries
from service.stats.river import RiverPanel, river_panel
from service.stats.schemas import Overview
from service.web import assets

router = APIRouter(tags=["stats"])

Viewer = Annotated[UserAccount | None, Depends(requires("stats.read"))]


@router.get(
    "/api/v1/stats/overview",
    response_model=Overview,
    response_model_by_alias=True,
    operation_id="stats_overview",
)
def overview(
    session: SessionDep,
    user: Viewer,
    date_from: FromQ = None,
    date_to: ToQ = None,
    public: Annotated[
        bool, Query(description="public figures only (always so for anonymous callers)")
    ] = False,
) -> Overview:
    """驾驶舱: coverage by river and county, patrols by month, compliance by level, problems
    by state, county and category (closure rate, median days to close, overdue), public
    reports and cross-boundary rivers, for a period of at most about three years (default:
    this year). Every number carries ``list``: the request giving it back. Staff see
    everything; anonymous callers (or ``?public=1``) public figures only (periods of at
    least 28 days, like public coverage)."""
    role = user.role if user is not None else None
    public = public or not allowed("compliance.read", role)
    start, end = queries.overview_period(date_from, date_to)
    scope = Scope.of(None if public else user)
    if public:
        queries.check_public(start, end, open_ended=date_to is None)
    return queries.overview(
        session,
        scope,
        start,
        end,
        public=public,
        patrols=allowed("patrols.read", role),
    )


@router.get(
    "/api/v1/stats/rivers/{river_id}",
    response_model=RiverPanel,
    response_model_by_alias=True,
    operation_id="stats_river_panel",
)
def river(
    session: SessionDep,
    user: Viewer,
    river_id: int,
    on: OnDep,
    date_from: FromQ = None,
    date_to: ToQ = None,
) -> RiverPanel:
    """The map's river panel in one request: the river with its chiefs and liaison units on
    ``on``, its coverage in the period and per whole month (to today), the municipal chiefs'
    patrol duty (staff) and its open problems as the caller may see them. Anonymous callers
    get the period's coverage only for periods of 28 days or more (months always)."""
    start, end = coverage_q.period(date_from, date_to)
    role = user.role if user is not None else None
    shown = True
    if user is None:
        try:
            coverage_q.check_public_period(start, end, open_ended=date_to is None)
        except InvalidInput:
            shown = False
    return river_panel(
        session,
        Scope.of(user),
        river_id,
        on,
        start,
        end,
        coverage=shown,
        staff=allowed("compliance.read", role),
    )


@router.get("/dashboard", include_in_schema=False)
def dashboard_page(request: Request, _user: Viewer) -> Response:
    """The 驾驶舱 page (static HTML drawing /api/v1/stats/overview; prints as the 通报)."""
    return assets.file_response(request, assets.resolve("dashboard.html"))
