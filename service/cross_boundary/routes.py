"""HTTP: cross-boundary (跨界) views, cooperation agreements, the next joint-meeting convener."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from service.auth.deps import requires
from service.auth.models import UserAccount
from service.auth.scope import Scope
from service.concurrency import admitted
from service.cross_boundary import brief, queries, view
from service.cross_boundary.schemas import AgreementIn, AgreementPatch, NeighborOut, NeighborViewOut
from service.db import SessionDep
from service.governance.agreements import joint
from service.governance.agreements import service as agreements
from service.governance.agreements.schemas import AgreementOut, NextConvenerOut
from service.pagination import PageDep, paginate
from service.params import FromQ, ToQ
from service.patrols.coverage import period
from service.web.folium_map import folium_csp

router = APIRouter(prefix="/api/v1", tags=["cross-boundary"])

Viewer = Annotated[UserAccount | None, Depends(requires("cross_boundary.view"))]
AgreementReader = Annotated[UserAccount | None, Depends(requires("agreements.read"))]
AgreementWriter = Annotated[UserAccount | None, Depends(requires("agreements.write"))]
#: Most kilometres from the border a view may reach: past it the "border" is half the city
#: and one request costs seconds of PostGIS work (issue 14).
MAX_BUFFER_KM = 20.0
BufferQ = Annotated[
    float,
    Query(
        gt=0,
        le=MAX_BUFFER_KM,
        allow_inf_nan=False,
        description=f"distance from the shared border, km (0 < b <= {MAX_BUFFER_KM:g})",
    ),
]
#: Views computed at once per worker (each is several PostGIS analyses) and how many may wait.
VIEW_CONCURRENCY = 2
VIEW_QUEUE_MAX = 8


@router.get(
    "/cross-boundary",
    response_model=list[NeighborOut],
    operation_id="cross_boundary_summary",
    dependencies=[Depends(requires("cross_boundary.read"))],
)
def summary(session: SessionDep) -> Any:
    """跨界河湖: per neighbour city, the shared border and the rivers crossing it (public)."""
    return queries.summary(session)


@router.get(
    "/cross-boundary/{neighbor_code}",
    response_model=NeighborViewOut,
    operation_id="cross_boundary_view",
)
async def neighbor_view(
    session: SessionDep,
    user: Viewer,
    neighbor_code: str,
    date_from: FromQ = None,
    date_to: ToQ = None,
    buffer_km: BufferQ = 5.0,
) -> Any:
    """One neighbour city for a joint meeting: shared rivers, boundary reaches with patrol
    coverage, problems near the border by state, agreements, joint meetings, open items.
    Staff, and the neighbor_viewer of that city (403 for another city's). A worker computes
    at most two views at once; past eight waiting, 503 with Retry-After."""
    start, end = period(date_from, date_to)
    return await _bounded_view(session, user, neighbor_code, start, end, buffer_km)


async def _bounded_view(
    session: Session,
    user: UserAccount | None,
    neighbor_code: str,
    start: date,
    end: date,
    buffer_km: float,
) -> NeighborViewOut:
    """The view, computed in one of the worker's view slots (uncached and expensive)."""
    await run_in_threadpool(session.commit)  # the wait holds no connection
    async with admitted("cross-boundary-view", VIEW_CONCURRENCY, VIEW_QUEUE_MAX, "views"):
        return await run_in_threadpool(
            view.neighbor_view, session, Scope.of(user), neighbor_code, start, end, buffer_km
        )


@router.get(
    "/cross-boundary/{neighbor_code}/brief",
    response_class=HTMLResponse,
    operation_id="cross_boundary_brief",
)
async def neighbor_brief(
    session: SessionDep,
    user: Viewer,
    neighbor_code: str,
    date_from: FromQ = None,
    date_to: ToQ = None,
    buffer_km: BufferQ = 5.0,
) -> HTMLResponse:
    """联席会议简报: a printable A4 page with a map of the shared reaches (offline Leaflet)."""
    start, end = period(date_from, date_to)
    data = await _bounded_view(session, user, neighbor_code, start, end, buffer_km)
    page = await run_in_threadpool(brief.render, session, data)
    # folium writes the map as inline script: allow exactly those scripts by hash.
    return HTMLResponse(page, headers={"Content-Security-Policy": folium_csp(page)})


@router.get(
    "/cooperation-agreements",
    response_model=list[AgreementOut],
    operation_id="list_cooperation_agreements",
)
def list_agreements(
    session: SessionDep,
    user: AgreementReader,
    response: Response,
    page: PageDep,
    neighbor_code: str | None = None,
) -> Any:
    """合作协议: staff see all (or one neighbour's); a neighbor_viewer only its city's."""
    scope = Scope.of(user)
    if scope.role == "neighbor_viewer":
        neighbor_code = scope.neighbor_code
    return paginate(agreements.agreements_of(session, neighbor_code), page, response)


@router.get(
    "/cooperation-agreements/{agreement_id}",
    response_model=AgreementOut,
    operation_id="get_cooperation_agreement",
)
def get_agreement(session: SessionDep, user: AgreementReader, agreement_id: int) -> Any:
    return agreements.visible_agreement(session, Scope.of(user), agreement_id)


@router.post(
    "/cooperation-agreements",
    response_model=AgreementOut,
    status_code=201,
    operation_id="create_cooperation_agreement",
)
def create_agreement(session: SessionDep, user: AgreementWriter, body: AgreementIn) -> Any:
    """Record a cooperation agreement (office); ``rotation`` is the convening order."""
    agreement = agreements.create_agreement(session, **body.model_dump())
    out = agreements.visible_agreement(session, Scope.of(user), agreement.id)
    session.commit()
    return out


@router.patch(
    "/cooperation-agreements/{agreement_id}",
    response_model=AgreementOut,
    operation_id="update_cooperation_agreement",
)
def update_agreement(
    session: SessionDep, user: AgreementWriter, agreement_id: int, body: AgreementPatch
) -> Any:
    """Correct an agreement (office); only the fields given change."""
    agreements.update_agreement(session, agreement_id, body.model_dump(exclude_unset=True))
    out = agreements.visible_agreement(session, Scope.of(user), agreement_id)
    session.commit()
    return out


@router.delete(
    "/cooperation-agreements/{agreement_id}",
    status_code=204,
    operation_id="delete_cooperation_agreement",
)
def delete_agreement(session: SessionDep, _user: AgreementWriter, agreement_id: int) -> Response:
    """Delete a mistaken agreement (office) that no joint meeting refers to (else 409)."""
    agreements.delete_agreement(session, agreement_id)
    session.commit()
    return Response(status_code=204)


@router.get(
    "/joint-meetings/next",
    response_model=NextConvenerOut,
    operation_id="next_joint_meeting",
    tags=["cross-boundary"],
)
def next_joint_meeting(
    session: SessionDep,
    user: AgreementReader,
    agreement_id: Annotated[int, Query(description="the cooperation agreement")],
) -> Any:
    """下次联席会议: who convenes next by rotation after the last joint meeting, and when."""
    return joint.next_convener(session, Scope.of(user), agreement_id)
