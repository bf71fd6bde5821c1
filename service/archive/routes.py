"""HTTP: the river archive (一河一档) as JSON, XLSX and an A4 print view; office edits."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Response
from fastapi.responses import HTMLResponse

from service.archive import export, queries, service
from service.archive.schemas import ArchiveIn, ArchiveOut
from service.auth.deps import requires
from service.auth.models import UserAccount
from service.db import SessionDep
from service.params import OnDep

router = APIRouter(prefix="/api/v1", tags=["archive"])
Reader = Depends(requires("archive.read"))
Office = Annotated[UserAccount, Depends(requires("archive.write"))]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/rivers/{river_id}/archive",
    response_model=ArchiveOut,
    operation_id="river_archive",
    dependencies=[Reader],
)
def get_archive(session: SessionDep, river_id: int, on: OnDep) -> ArchiveOut:
    """一河一档: the river's archive fields, with its reaches and chiefs on ``on`` (default
    today), the counties and townships it crosses, monitoring sections, water-function
    zones, main problems, plans and annual lists by year."""
    return queries.river_archive(session, river_id, on)


@router.get(
    "/rivers/{river_id}/archive.xlsx",
    operation_id="river_archive_xlsx",
    dependencies=[Reader],
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}},
)
def get_archive_xlsx(session: SessionDep, river_id: int, on: OnDep) -> Response:
    """The archive as a workbook, one sheet per part."""
    archive = queries.river_archive(session, river_id, on)
    name = quote(f"一河一档-{archive.name}-{on.isoformat()}.xlsx")
    return Response(
        export.archive_xlsx(archive),
        media_type=XLSX,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"},
    )


@router.get(
    "/rivers/{river_id}/archive.html",
    operation_id="river_archive_print",
    dependencies=[Reader],
    response_class=HTMLResponse,
)
def get_archive_html(session: SessionDep, river_id: int, on: OnDep) -> HTMLResponse:
    """The archive as one page to print on A4 (print CSS, zh-CN)."""
    archive = queries.river_archive(session, river_id, on)
    return HTMLResponse(
        export.archive_html(archive),
        headers={"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"},
    )


@router.patch(
    "/rivers/{river_id}/archive",
    response_model=ArchiveOut,
    operation_id="edit_river_archive",
)
def edit_archive(
    session: SessionDep, river_id: int, body: ArchiveIn, user: Office, on: OnDep
) -> ArchiveOut:
    """The office edits the typed-in fields (those named in the body; null clears one)."""
    service.edit_archive(session, river_id, body, user.id)
    out = queries.river_archive(session, river_id, on)
    session.commit()
    return out
