"""Reads of signboards: the registry with each board's print status on a day."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.errors import NotFound
from service.reaches.models import Reach
from service.rivers.models import River
from service.signboards.board import board_content, content_hash, page_path
from service.signboards.models import Signboard, SignboardPrint
from service.signboards.schemas import BoardContent, PrintStatus, SignboardOut


def get_board(session: Session, board_id: int) -> Signboard:
    board = session.get(Signboard, board_id)
    if board is None:
        raise NotFound(f"signboard {board_id} not found", code="signboard_not_found")
    return board


def last_prints(session: Session, board_ids: list[int]) -> dict[int, SignboardPrint]:
    """The latest printing of each board that has one (ids grow with time)."""
    if not board_ids:
        return {}
    latest = (
        select(func.max(SignboardPrint.id))
        .where(SignboardPrint.signboard_id.in_(board_ids))
        .group_by(SignboardPrint.signboard_id)
    )
    rows = session.scalars(select(SignboardPrint).where(SignboardPrint.id.in_(latest))).all()
    return {p.signboard_id: p for p in rows}


def list_signboards(
    session: Session,
    on: date,
    base_url: str,
    *,
    reach_id: int | None = None,
    river_id: int | None = None,
    status: PrintStatus | None = None,
    board_id: int | None = None,
) -> list[SignboardOut]:
    """Boards by river and place along it, each with what its last printing was worth today:
    ``out_of_date`` when what the board would show on ``on`` hashes differently."""
    stmt = (
        select(
            Signboard,
            Reach,
            River.name,
            func.ST_X(Signboard.geom).label("lon"),
            func.ST_Y(Signboard.geom).label("lat"),
        )
        .join(Reach, Reach.id == Signboard.reach_id)
        .join(River, River.id == Reach.river_id)
        .order_by(Reach.river_id, Reach.from_m, Signboard.number, Signboard.id)
    )
    if reach_id is not None:
        stmt = stmt.where(Signboard.reach_id == reach_id)
    if river_id is not None:
        stmt = stmt.where(Reach.river_id == river_id)
    if board_id is not None:
        stmt = stmt.where(Signboard.id == board_id)
    rows = session.execute(stmt).all()
    printed = last_prints(session, [r.Signboard.id for r in rows])
    contents: dict[int, BoardContent] = {}
    hashes: dict[int, str] = {}
    out = []
    for row in rows:
        board: Signboard = row.Signboard
        reach: Reach = row.Reach
        if reach.id not in contents:
            contents[reach.id] = board_content(session, reach, on, base_url)
            hashes[reach.id] = content_hash(contents[reach.id])
        last = printed.get(board.id)
        state: PrintStatus = (
            "never_printed"
            if last is None
            else "current"
            if last.content_hash == hashes[reach.id]
            else "out_of_date"
        )
        if status is not None and state != status:
            continue
        out.append(
            SignboardOut(
                id=board.id,
                number=board.number,
                reach_id=reach.id,
                reach_code=reach.code,
                reach_name=reach.name,
                river_id=reach.river_id,
                river_name=row.name,
                lon=round(float(row.lon), 7),
                lat=round(float(row.lat), 7),
                installed_on=board.installed_on,
                note=board.note,
                has_photo=board.photo_path is not None,
                is_demo=board.is_demo,
                page_url=base_url.rstrip("/") + page_path(reach.code),
                print_status=state,
                out_of_date=state == "out_of_date",
                last_printed_at=last.printed_at if last else None,
                last_printed_paper=last.paper if last else None,  # type: ignore[arg-type]
            )
        )
    return out


def get_signboard(session: Session, board_id: int, on: date, base_url: str) -> SignboardOut:
    get_board(session, board_id)
    return list_signboards(session, on, base_url, board_id=board_id)[0]
