"""HTTP: layers as GeoPackage or GeoJSON, scoped like their lists; tables as XLSX (issue 15).

Each layer route takes the permission and filters of the list it comes from. Writing a file
is CPU work: a worker writes at most two at once, and past eight waiting answers 503 with
Retry-After (``service.concurrency.admitted``); the wait holds no database connection.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from service.auth.deps import requires
from service.auth.models import UserAccount
from service.auth.scope import Scope
from service.concurrency import admitted
from service.db import SessionDep
from service.exports import layers
from service.exports.schemas import TableIn
from service.exports.table import table_xlsx
from service.exports.writer import MEDIA_TYPES, Format, write
from service.params import FromQ, ToQ, check_range
from service.patrols.queries import PatrolFilter
from service.problems.deps import Filters
from service.timeutil import today_local

router = APIRouter(prefix="/api/v1", tags=["exports"])

Registry = Annotated[UserAccount | None, Depends(requires("registry.read"))]
ProblemReader = Annotated[UserAccount, Depends(requires("problems.read"))]
TrackReader = Annotated[UserAccount, Depends(requires("patrols.track"))]
TableWriter = Annotated[UserAccount, Depends(requires("exports.table"))]

EXPORT_CONCURRENCY = 2
EXPORT_QUEUE_MAX = 8
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "content": {MEDIA_TYPES["gpkg"]: {}, MEDIA_TYPES["geojson"]: {}},
        "description": "one layer in EPSG:4326",
    },
    422: {"description": "more features than an export holds (export_too_large)"},
    503: {"description": "too many exports waiting on this worker: retry (Retry-After)"},
}


def _attachment(filename: str) -> dict[str, str]:
    """Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266)."""
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    return {
        "Content-Disposition": f'attachment; filename="{ascii_name}"; '
        f"filename*=UTF-8''{quote(filename)}"
    }


async def _export(
    session: Session, name: str, fmt: Format, build: Callable[[], layers.ExportLayer]
) -> Response:
    await run_in_threadpool(session.commit)  # waiting for a slot holds no connection
    async with admitted("exports", EXPORT_CONCURRENCY, EXPORT_QUEUE_MAX, "exports"):
        body = await run_in_threadpool(lambda: write(build(), fmt))
    filename = f"riverchief-{name}-{today_local():%Y%m%d}.{fmt}"
    return Response(body, media_type=MEDIA_TYPES[fmt], headers=_attachment(filename))


@router.get("/exports/rivers.{fmt}", operation_id="export_rivers", responses=RESPONSES)
async def export_rivers(
    session: SessionDep,
    _user: Registry,
    fmt: Format,
    all: Annotated[bool, Query(description="include neighbour-region rivers")] = False,
) -> Response:
    """Rivers (as ``GET /rivers``: Leshan length, counties, chiefs and liaison units today)."""
    return await _export(session, "rivers", fmt, lambda: layers.rivers_layer(session, all))


@router.get("/exports/segments.{fmt}", operation_id="export_segments", responses=RESPONSES)
async def export_segments(
    session: SessionDep,
    _user: Registry,
    fmt: Format,
    river_id: int | None = None,
    county: Annotated[str | None, Query(max_length=12)] = None,
) -> Response:
    """River segments (as ``GET /segments.geojson``)."""
    return await _export(
        session, "segments", fmt, lambda: layers.segments_layer(session, river_id, county)
    )


@router.get("/exports/problems.{fmt}", operation_id="export_problems", responses=RESPONSES)
async def export_problems(
    session: SessionDep, user: ProblemReader, fmt: Format, filters: Filters
) -> Response:
    """Problems as ``GET /problems`` lists them for the caller, with the same filters
    (a neighbour city: the public fields only)."""
    scope = Scope.of(user)
    return await _export(
        session, "problems", fmt, lambda: layers.problems_layer(session, scope, filters)
    )


@router.get(
    "/exports/patrol-tracks.{fmt}", operation_id="export_patrol_tracks", responses=RESPONSES
)
async def export_patrol_tracks(
    session: SessionDep,
    user: TrackReader,
    fmt: Format,
    date_from: FromQ = None,
    date_to: ToQ = None,
    chief_id: int | None = None,
    river_id: int | None = None,
    valid: bool | None = None,
    voided: bool | None = None,
) -> Response:
    """Patrol tracks the caller may see (as ``GET /patrols``, same filters)."""
    check_range(date_from, date_to)
    flt = PatrolFilter(chief_id, river_id, date_from, date_to, valid, voided)
    scope = Scope.of(user)
    return await _export(
        session, "patrol-tracks", fmt, lambda: layers.patrol_tracks_layer(session, scope, flt)
    )


@router.post(
    "/exports/table.xlsx",
    operation_id="export_table_xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "the table as one sheet"}},
)
def export_table(_user: TableWriter, body: TableIn) -> Response:
    """A table as the browser shows it, as XLSX: text as string cells (never formulas),
    numbers as numbers, dates as dates. At most 20 000 rows, 60 columns, 300 000 cells."""
    return Response(
        table_xlsx(body),
        media_type=XLSX,
        headers=_attachment(f"{body.title}-{today_local():%Y%m%d}.xlsx"),
    )
