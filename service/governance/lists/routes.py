"""HTTP: 一河一策 plans and the four annual lists (JSON and XLSX), §12."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Response, status
from sqlalchemy import select

from service.db import SessionDep
from service.governance.common import check_river, counties
from service.governance.deps import ListsWriter, Reader
from service.governance.lists import service, xlsx
from service.governance.lists.models import RiverPlan
from service.governance.lists.schemas import (
    AnnualListsIn,
    AnnualListsOut,
    ApproveIn,
    RiverPlanIn,
    RiverPlanOut,
)
from service.pagination import PageDep, paginate
from service.params import YearPath
from service.timeutil import today_local

router = APIRouter(prefix="/api/v1", tags=["governance: plans and lists"])
LISTS = "/rivers/{river_id}/annual-lists/{year:int}"


@router.get(
    LISTS + ".xlsx",
    operation_id="export_annual_lists_xlsx",
    dependencies=[Reader],
    response_class=Response,
    responses={200: {"content": {xlsx.XLSX_MEDIA_TYPE: {}}}},
)
def export_lists(session: SessionDep, river_id: int, year: YearPath) -> Response:
    """The four lists as a workbook: one sheet per list, Chinese headers, A4 landscape."""
    lists = service.get_lists(session, river_id, year)
    out = service.lists_out(session, lists)
    content = xlsx.export_workbook(
        out["river_name"],
        year,
        lists.state,
        out["document_number"],
        service.lists_data(session, lists),
        dict(counties(session)),
    )
    filename = f"annual-lists-{river_id}-{year}.xlsx"
    return Response(
        content,
        media_type=xlsx.XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.put(LISTS + ".xlsx", response_model=AnnualListsOut, operation_id="import_annual_lists_xlsx")
def import_lists(
    session: SessionDep,
    river_id: int,
    year: YearPath,
    actor: ListsWriter,
    content: Annotated[bytes, Body(media_type=xlsx.XLSX_MEDIA_TYPE)],
) -> dict[str, Any]:
    """Replace the (drafted) lists with a workbook in the layout of the export."""
    river = check_river(session, river_id)
    codes = {name: code for code, name in counties(session)}
    codes.update({code: code for code in codes.values()})
    data = xlsx.import_workbook(content, river.name, service.check_year(year), codes)
    lists = service.save_lists(session, river_id, year, data, actor)
    session.commit()
    return service.lists_out(session, lists)


@router.get(
    LISTS, response_model=AnnualListsOut, operation_id="get_annual_lists", dependencies=[Reader]
)
def get_lists(session: SessionDep, river_id: int, year: YearPath) -> dict[str, Any]:
    """目标、问题、任务、责任 four lists of a river for a year."""
    return service.lists_out(session, service.get_lists(session, river_id, year))


@router.put(LISTS, response_model=AnnualListsOut, operation_id="save_annual_lists")
def save_lists(
    session: SessionDep, river_id: int, year: YearPath, data: AnnualListsIn, actor: ListsWriter
) -> dict[str, Any]:
    """Create or replace the drafted lists (office or the river's liaison unit)."""
    lists = service.save_lists(session, river_id, year, data, actor)
    session.commit()
    return service.lists_out(session, lists)


@router.post(LISTS + "/approve", response_model=AnnualListsOut, operation_id="approve_annual_lists")
def approve_lists(
    session: SessionDep,
    river_id: int,
    year: YearPath,
    actor: ListsWriter,
    data: ApproveIn | None = None,
) -> dict[str, Any]:
    """The river's municipal chief approves (审定) the drafted lists."""
    lists = service.get_lists(session, river_id, year)
    service.step_lists(session, lists, "approve", actor, (data and data.on) or today_local())
    session.commit()
    return service.lists_out(session, lists)


@router.post(LISTS + "/issue", response_model=AnnualListsOut, operation_id="issue_annual_lists")
def issue_lists(
    session: SessionDep,
    river_id: int,
    year: YearPath,
    actor: ListsWriter,
    data: ApproveIn | None = None,
) -> dict[str, Any]:
    """The office issues the approved lists with a document number."""
    lists = service.get_lists(session, river_id, year)
    service.step_lists(session, lists, "issue", actor, (data and data.on) or today_local())
    session.commit()
    return service.lists_out(session, lists)


@router.get(
    "/river-plans",
    response_model=list[RiverPlanOut],
    operation_id="list_river_plans",
    dependencies=[Reader],
)
def list_plans(
    session: SessionDep, response: Response, page: PageDep, river_id: int | None = None
) -> list[dict[str, Any]]:
    """一河一策 plans, newest period first."""
    stmt = select(RiverPlan).order_by(RiverPlan.period_start.desc(), RiverPlan.id)
    if river_id is not None:
        stmt = stmt.where(RiverPlan.river_id == river_id)
    plans = session.scalars(stmt).all()
    return paginate([service.plan_out(session, p) for p in plans], page, response)


@router.post(
    "/rivers/{river_id}/plans",
    response_model=RiverPlanOut,
    status_code=status.HTTP_201_CREATED,
    operation_id="create_river_plan",
)
def create_plan(
    session: SessionDep, river_id: int, data: RiverPlanIn, actor: ListsWriter
) -> dict[str, Any]:
    plan = service.create_plan(session, river_id, data, actor)
    session.commit()
    return service.plan_out(session, plan)


@router.post(
    "/river-plans/{plan_id}/approve", response_model=RiverPlanOut, operation_id="approve_river_plan"
)
def approve_plan(
    session: SessionDep, plan_id: int, actor: ListsWriter, data: ApproveIn | None = None
) -> dict[str, Any]:
    plan = service.get_plan(session, plan_id)
    service.step_plan(session, plan, "approve", actor, (data and data.on) or today_local())
    session.commit()
    return service.plan_out(session, plan)


@router.post(
    "/river-plans/{plan_id}/issue", response_model=RiverPlanOut, operation_id="issue_river_plan"
)
def issue_plan(
    session: SessionDep, plan_id: int, actor: ListsWriter, data: ApproveIn | None = None
) -> dict[str, Any]:
    plan = service.get_plan(session, plan_id)
    service.step_plan(session, plan, "issue", actor, (data and data.on) or today_local())
    session.commit()
    return service.plan_out(session, plan)
