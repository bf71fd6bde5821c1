"""HTTP: river health assessments (§13) and their map layer."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Response, status

from service.auth.deps import requires
from service.db import SessionDep
from service.governance.deps import HealthApprover, HealthWriter, Reader
from service.governance.health import service
from service.governance.health.schemas import HealthAssessmentIn, HealthAssessmentOut
from service.pagination import PageDep, paginate
from service.params import YearFilter, YearQ

router = APIRouter(prefix="/api/v1", tags=["governance: river health"])


@router.get("/health/config", operation_id="health_config", dependencies=[Reader])
def health_config() -> dict[str, Any]:
    """Criteria, indicators, weights and class thresholds, with their source."""
    return service.config_out()


@router.get(
    "/health/map.geojson", operation_id="health_map", dependencies=[Depends(requires("health.map"))]
)
def health_map(session: SessionDep, year: YearQ) -> dict[str, Any]:
    """The year's assessed reaches as GeoJSON (EPSG:4326) coloured by health class."""
    return service.map_layer(session, year)


@router.get(
    "/health-assessments",
    response_model=list[HealthAssessmentOut],
    operation_id="list_health_assessments",
    dependencies=[Reader],
)
def list_assessments(
    session: SessionDep,
    response: Response,
    page: PageDep,
    year: YearFilter = None,
    river_id: int | None = None,
) -> list[dict[str, Any]]:
    rows = service.list_assessments(session, year, river_id)
    return paginate([service.out(session, r) for r in rows], page, response)


@router.post(
    "/health-assessments",
    response_model=HealthAssessmentOut,
    status_code=status.HTTP_201_CREATED,
    operation_id="record_health_assessment",
)
def record(session: SessionDep, data: HealthAssessmentIn, actor: HealthWriter) -> dict[str, Any]:
    """Record indicator scores; the weighted score (RHI) and class are computed."""
    row = service.record(session, data, actor)
    session.commit()
    return service.out(session, row)


@router.get(
    "/health-assessments/{assessment_id}",
    response_model=HealthAssessmentOut,
    operation_id="get_health_assessment",
    dependencies=[Reader],
)
def get_assessment(session: SessionDep, assessment_id: int) -> dict[str, Any]:
    return service.out(session, service.get(session, assessment_id))


@router.post(
    "/health-assessments/{assessment_id}/approve",
    response_model=HealthAssessmentOut,
    operation_id="approve_health_assessment",
)
def approve_assessment(session: SessionDep, assessment_id: int, actor: HealthApprover) -> Any:
    """The river's municipal chief approves (审定) the assessment report (§13)."""
    row = service.get(session, assessment_id)
    service.approve(session, row, actor)
    session.commit()
    return service.out(session, row)


@router.delete(
    "/health-assessments/{assessment_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    operation_id="delete_health_assessment",
)
def delete_assessment(session: SessionDep, assessment_id: int, actor: HealthWriter) -> Response:
    service.delete_assessment(session, service.get(session, assessment_id), actor)
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
