"""HTTP: signboards (公示牌) — the registry, QR codes, printable boards, the public page."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Query, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse

from service.auth.deps import requires
from service.auth.models import UserAccount
from service.db import SessionDep
from service.errors import NotFound
from service.pagination import PageDep, paginate
from service.params import OnDep
from service.problems import photos
from service.security.clients import public_base_url
from service.security.uploads import read_upload
from service.settings import get_settings
from service.signboards import page as reach_page
from service.signboards import queries, render, service
from service.signboards.board import board_content
from service.signboards.schemas import (
    PageOut,
    Paper,
    PrintStatus,
    SignboardIn,
    SignboardOut,
    SignboardPatch,
)
from service.timeutil import today_local

router = APIRouter(tags=["signboards"])
Reader = Depends(requires("signboards.read"))
Office = Annotated[UserAccount, Depends(requires("signboards.write"))]
Public = Depends(requires("signboards.page"))


@router.get(
    "/api/v1/signboards",
    response_model=list[SignboardOut],
    operation_id="list_signboards",
    dependencies=[Reader],
)
def list_signboards(
    request: Request,
    session: SessionDep,
    response: Response,
    page: PageDep,
    on: OnDep,
    reach_id: int | None = None,
    river_id: int | None = None,
    status: Annotated[
        PrintStatus | None, Query(description="never_printed, current or out_of_date")
    ] = None,
) -> Any:
    """Signboards by river and place, each with its print status on ``on`` (default today):
    ``out_of_date`` when what the board would show now differs from its last printing."""
    rows = queries.list_signboards(
        session, on, public_base_url(request), reach_id=reach_id, river_id=river_id, status=status
    )
    return paginate(rows, page, response)


@router.post(
    "/api/v1/signboards",
    response_model=SignboardOut,
    status_code=201,
    operation_id="create_signboard",
    responses={409: {"description": "the number is taken"}},
)
def create_signboard(
    request: Request, session: SessionDep, body: SignboardIn, _user: Office
) -> SignboardOut:
    """Register a board by a reach (a point within ``signboard_max_distance_m`` of it; none:
    the middle of the reach)."""
    board = service.create_signboard(session, body)
    out = queries.get_signboard(session, board.id, today_local(), public_base_url(request))
    session.commit()
    return out


@router.get(
    "/api/v1/signboards/{board_id}",
    response_model=SignboardOut,
    operation_id="get_signboard",
    dependencies=[Reader],
)
def get_signboard(request: Request, session: SessionDep, board_id: int, on: OnDep) -> Any:
    return queries.get_signboard(session, board_id, on, public_base_url(request))


@router.patch(
    "/api/v1/signboards/{board_id}", response_model=SignboardOut, operation_id="edit_signboard"
)
def edit_signboard(
    request: Request, session: SessionDep, board_id: int, body: SignboardPatch, _user: Office
) -> SignboardOut:
    """Change a board's number, place, reach, installation date or note."""
    board = queries.get_board(session, board_id)
    service.edit_signboard(session, board, body)
    out = queries.get_signboard(session, board.id, today_local(), public_base_url(request))
    session.commit()
    return out


@router.get(
    "/api/v1/signboards/{board_id}/qr.png",
    operation_id="signboard_qr",
    dependencies=[Reader],
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}},
)
def signboard_qr(request: Request, session: SessionDep, board_id: int) -> Response:
    """The QR code of the board: ``RIVERCHIEF_PUBLIC_BASE_URL`` + ``/r/{reach code}``."""
    out = queries.get_signboard(session, board_id, today_local(), public_base_url(request))
    return Response(
        render.qr_png(out.page_url),
        media_type="image/png",
        headers={"Content-Disposition": f'inline; filename="signboard-{board_id}-qr.png"'},
    )


@router.get(
    "/api/v1/signboards/{board_id}/print.pdf",
    operation_id="signboard_pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
def signboard_pdf(
    request: Request,
    session: SessionDep,
    board_id: int,
    user: Office,
    paper: Annotated[Paper, Query(description="A4 or A3")] = "A4",
) -> Response:
    """The printable board (A4/A3 PDF, Chinese text in an embedded TrueType subset). Each
    download is recorded as a printing: what it showed, so the list can mark the board out
    of date when a chief changes."""
    board = queries.get_board(session, board_id)
    reach = service._reach(session, board.reach_id)
    content = board_content(session, reach, today_local(), public_base_url(request))
    pdf = render.board_pdf(content, board.number, paper)
    service.record_print(session, board, content, paper, user.id)
    session.commit()
    name = quote(f"公示牌-{board.number}-{paper}.pdf")
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"},
    )


@router.post(
    "/api/v1/signboards/{board_id}/photo",
    response_model=SignboardOut,
    operation_id="upload_signboard_photo",
)
async def upload_photo(
    request: Request,
    session: SessionDep,
    board_id: int,
    _user: Office,
    file: Annotated[UploadFile, File(description="a JPEG or PNG photo of the board")],
) -> SignboardOut:
    """The board's photo (JPEG/PNG, sniffed and decoded before it is kept; replaces one)."""
    data = await read_upload(file, get_settings().photo_max_bytes, what="photo")
    await run_in_threadpool(queries.get_board, session, board_id)
    header = photos.read_header(data)
    await run_in_threadpool(session.commit)  # hold no connection while waiting to decode
    async with photos.decode_slot():
        await run_in_threadpool(photos.decode, header)
    return await run_in_threadpool(_store_photo, request, session, board_id, header)


def _store_photo(
    request: Request, session: Any, board_id: int, header: photos.PhotoHeader
) -> SignboardOut:
    board = queries.get_board(session, board_id)
    old = board.photo_path
    path = service.set_photo(session, board, header.data, header.content_type, header.sha256)
    out = queries.get_signboard(session, board_id, today_local(), public_base_url(request))
    try:
        session.commit()
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    if old:
        (service.photo_root() / old).unlink(missing_ok=True)
    return out


@router.get(
    "/api/v1/signboards/{board_id}/photo",
    operation_id="signboard_photo",
    dependencies=[Reader],
    response_class=FileResponse,
)
def signboard_photo(session: SessionDep, board_id: int) -> FileResponse:
    board = queries.get_board(session, board_id)
    if not board.photo_path or not board.photo_content_type:
        raise NotFound(f"signboard {board_id} has no photo", code="photo_not_found")
    return FileResponse(
        service.photo_root() / board.photo_path, media_type=board.photo_content_type
    )


@router.get(
    "/api/v1/reach-pages/{code}",
    response_model=PageOut,
    operation_id="reach_page",
    dependencies=[Public],
)
def reach_page_json(request: Request, session: SessionDep, code: str, on: OnDep) -> PageOut:
    """What the public page of a reach shows (its chiefs today, coverage, open problems)."""
    return reach_page.reach_page(session, _code(code), on, public_base_url(request))


@router.get("/r/{code}", include_in_schema=False, dependencies=[Public])
def reach_page_html(request: Request, session: SessionDep, code: str) -> HTMLResponse:
    """The page a signboard's QR code opens (zh-CN, phone first, read fresh every time)."""
    out = reach_page.reach_page(session, _code(code), today_local(), public_base_url(request))
    return HTMLResponse(
        reach_page.page_html(out),
        headers={
            "Cache-Control": "no-store",
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
            "img-src 'self'; base-uri 'none'; form-action 'none'",
        },
    )


def _code(code: str) -> str:
    if len(code) != 12 or not code.isascii() or not code.isdigit():
        raise NotFound(f"no reach has code {code[:20]!r}", code="reach_not_found")
    return code
