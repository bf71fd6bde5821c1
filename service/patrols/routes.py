"""HTTP routes of patrols, coverage and compliance (thin: parse, call, return)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response
from fastapi.responses import JSONResponse

from service.auth.deps import requires
from service.auth.models import UserAccount
from service.auth.scope import Scope
from service.db import SessionDep
from service.pagination import PageDep, set_total
from service.params import FromQ, ToQ, YearQ, check_range
from service.patrols import coverage as coverage_q
from service.patrols import queries, tracks
from service.patrols.admission import UploadQueueOpen, UploadSlot
from service.patrols.compliance import compliance
from service.patrols.compliance_xlsx import compliance_xlsx
from service.patrols.schemas import ComplianceRow, CoverageRow, PatrolOut, VoidIn
from service.patrols.service import ingest, void_patrol
from service.patrols.upload import PatrolUploadForm, read_patrol_upload

router = APIRouter(prefix="/api/v1", tags=["patrols"])

Uploader = Annotated[UserAccount, Depends(requires("patrols.upload"))]
Reader = Annotated[UserAccount, Depends(requires("patrols.read"))]
TrackReader = Annotated[UserAccount, Depends(requires("patrols.track"))]
Office = Annotated[UserAccount, Depends(requires("patrols.void"))]
Auditor = Annotated[UserAccount, Depends(requires("patrols.raw"))]
Staff = Annotated[UserAccount, Depends(requires("compliance.read"))]
Public = Annotated[UserAccount | None, Depends(requires("coverage.read"))]

UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "GPX 1.0/1.1, KML, KMZ, GeoJSON or FIT",
                        },
                        "chief_id": {
                            "type": "integer",
                            "description": "default: the uploader's own official",
                        },
                        "datum": {"type": "string", "enum": ["wgs84", "gcj02"], "default": "wgs84"},
                        "date": {
                            "type": "string",
                            "format": "date",
                            "description": "the patrol's day when the file has no times",
                        },
                        "client_id": {"type": "string", "description": "idempotency key"},
                        "notes": {"type": "string", "description": "巡河日志: what was seen"},
                    },
                }
            }
        },
    }
}


@router.post(
    "/patrols",
    operation_id="upload_patrol",
    status_code=201,
    response_model=PatrolOut,
    openapi_extra=UPLOAD_BODY,
    responses={
        200: {"description": "the same file or client_id again: the existing patrol"},
        413: {"description": "file too large"},
        422: {"description": "not a patrol"},
        503: {"description": "too many uploads waiting on this server: retry (Retry-After)"},
    },
)
def upload_patrol(
    session: SessionDep,
    user: Uploader,
    _queue: UploadQueueOpen,
    form: Annotated[PatrolUploadForm, Depends(read_patrol_upload)],
    _slot: UploadSlot,
) -> Any:
    """Upload a recorded GPS track (巡河轨迹) as a patrol; matched and judged at once."""
    result = ingest(session, user, form)
    body = queries.patrol_out(session, result.patrol)
    session.commit()
    if result.created:
        return body
    return JSONResponse(body.model_dump(mode="json"), status_code=200)


@router.get("/patrols", operation_id="list_patrols", response_model=list[PatrolOut])
def list_patrols(
    session: SessionDep,
    user: Reader,
    page: PageDep,
    response: Response,
    date_from: FromQ = None,
    date_to: ToQ = None,
    chief_id: int | None = None,
    river_id: int | None = None,
    valid: Annotated[
        bool | None, Query(description="valid (true) or not (false): the duty rules' verdict")
    ] = None,
    voided: Annotated[bool | None, Query(description="voided by the office")] = None,
) -> Any:
    """Patrols the caller may see (office: all; chief: own; liaison: the chiefs it serves),
    newest first; ``X-Total-Count`` has the total of the filtered list."""
    check_range(date_from, date_to)
    items, total = queries.list_patrols(
        session,
        Scope.of(user),
        page,
        queries.PatrolFilter(chief_id, river_id, date_from, date_to, valid, voided),
    )
    set_total(response, total)
    return items


@router.get("/patrols/{patrol_id}", operation_id="get_patrol", response_model=PatrolOut)
def get_patrol(session: SessionDep, user: Reader, patrol_id: int) -> Any:
    return queries.patrol_out(session, queries.visible_patrol(session, Scope.of(user), patrol_id))


@router.get("/patrols/{patrol_id}/track.geojson", operation_id="patrol_track_geojson")
def track_geojson(session: SessionDep, user: TrackReader, patrol_id: int) -> Response:
    """The cleaned track with its times (private: office, the chief, their liaison unit)."""
    patrol = queries.visible_patrol(session, Scope.of(user), patrol_id)
    body = tracks.track_geojson(patrol, tracks.track_parts(session, patrol.id))
    return JSONResponse(body, media_type="application/geo+json")


@router.get("/patrols/{patrol_id}/track.gpx", operation_id="patrol_track_gpx")
def track_gpx(session: SessionDep, user: TrackReader, patrol_id: int) -> Response:
    """The cleaned track as GPX 1.1 (private, like track.geojson)."""
    patrol = queries.visible_patrol(session, Scope.of(user), patrol_id)
    return Response(
        tracks.track_gpx(patrol, tracks.track_parts(session, patrol.id)),
        media_type="application/gpx+xml",
        headers={"Content-Disposition": f'attachment; filename="patrol-{patrol.id}.gpx"'},
    )


@router.get("/patrols/{patrol_id}/raw", operation_id="patrol_raw_upload")
def raw_upload(session: SessionDep, _user: Auditor, patrol_id: int) -> Response:
    """The file exactly as uploaded (office, for audit); its SHA-256 is ``upload_sha256``."""
    upload = queries.raw_upload(session, patrol_id)
    return Response(
        upload.data,
        media_type=upload.content_type or "application/octet-stream",
        headers={
            "Content-Disposition": f'attachment; filename="patrol-{patrol_id}-'
            f'{upload.sha256[:12]}{queries.suffix(upload.filename)}"',
            "X-Content-SHA256": upload.sha256,
        },
    )


@router.post("/patrols/{patrol_id}/void", operation_id="void_patrol", response_model=PatrolOut)
def void(session: SessionDep, user: Office, patrol_id: int, body: VoidIn) -> Any:
    """Void a wrong patrol (office): kept for audit, no longer counted."""
    patrol = void_patrol(session, user, patrol_id, body.reason)
    out = queries.patrol_out(session, patrol)
    session.commit()
    return out


@router.get(
    "/coverage",
    operation_id="river_coverage",
    response_model=list[CoverageRow],
    tags=["coverage"],
)
def coverage(
    session: SessionDep,
    user: Public,
    date_from: FromQ = None,
    date_to: ToQ = None,
    river_id: int | None = None,
    county: Annotated[
        str | None,
        Query(pattern=r"^[0-9]{6}$", description="only the segments in this county (code)"),
    ] = None,
) -> Any:
    """巡河覆盖率: share of each river's Leshan length patrolled alongside in the period
    (anonymous callers: periods of at least 28 days); ``county``: of its length there."""
    start, end = _public_period(user, date_from, date_to)
    return coverage_q.river_coverage(session, start, end, river_id, county_prefix=county)


@router.get("/coverage/segments.geojson", operation_id="coverage_segments", tags=["coverage"])
def coverage_segments(
    session: SessionDep,
    user: Public,
    date_from: FromQ = None,
    date_to: ToQ = None,
    river_id: int | None = None,
) -> Response:
    """Covered and uncovered pieces of the segments (no routes), for the map (anonymous
    callers: periods of at least 28 days)."""
    start, end = _public_period(user, date_from, date_to)
    return JSONResponse(
        coverage_q.segments_geojson(session, start, end, river_id),
        media_type="application/geo+json",
    )


def _public_period(
    user: UserAccount | None, date_from: date | None, date_to: date | None
) -> tuple[date, date]:
    start, end = coverage_q.period(date_from, date_to)
    if user is None:
        coverage_q.check_public_period(start, end, open_ended=date_to is None)
    return start, end


@router.get(
    "/compliance",
    operation_id="patrol_compliance",
    response_model=list[ComplianceRow],
    tags=["compliance"],
    responses={
        200: {"content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}
    },
)
def get_compliance(
    session: SessionDep,
    _user: Staff,
    year: YearQ,
    format: Literal["json", "xlsx"] = "json",
) -> Any:
    """巡河履职: patrol duty per official (general chief ≥1/yr; municipal chiefs ≥3/yr, ≥1/half)."""
    rows = compliance(session, year)
    if format == "xlsx":
        return Response(
            compliance_xlsx(rows, year),
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="compliance-{year}.xlsx"'},
        )
    return rows
