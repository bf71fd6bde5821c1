"""HTTP: inspections (督查) of counties and units, §15."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response, status

from service.db import SessionDep
from service.governance.common import newest_first
from service.governance.deps import InspectionsWriter, Reader
from service.governance.inspections import service
from service.governance.inspections.models import Inspection
from service.governance.inspections.schemas import InspectionIn, InspectionOut
from service.pagination import PageDep, paginate
from service.params import YearFilter

router = APIRouter(prefix="/api/v1", tags=["governance: inspections"])


@router.get(
    "/inspections",
    response_model=list[InspectionOut],
    operation_id="list_inspections",
    dependencies=[Reader],
)
def list_inspections(
    session: SessionDep,
    response: Response,
    page: PageDep,
    year: YearFilter = None,
    county: str | None = None,
) -> list[dict[str, Any]]:
    rows = newest_first(session, Inspection, Inspection.inspected_on, year=year, county=county)
    return paginate([service.out(session, r) for r in rows], page, response)


@router.post(
    "/inspections",
    response_model=InspectionOut,
    status_code=status.HTTP_201_CREATED,
    operation_id="create_inspection",
)
def create_inspection(
    session: SessionDep, data: InspectionIn, actor: InspectionsWriter
) -> dict[str, Any]:
    """Record an inspection; each finding becomes a problem assigned to its county."""
    row = service.create_inspection(session, data, actor)
    session.commit()
    return service.out(session, row)


@router.get(
    "/inspections/{inspection_id}",
    response_model=InspectionOut,
    operation_id="get_inspection",
    dependencies=[Reader],
)
def get_inspection(session: SessionDep, inspection_id: int) -> dict[str, Any]:
    return service.out(session, service.get(session, inspection_id))
