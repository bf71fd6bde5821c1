"""Writes of signboards: register and edit boards, record a printing, keep a board's photo."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from geoalchemy2 import Geography
from sqlalchemy import cast, func, select
from sqlalchemy.orm import Session

from service.errors import Conflict, InvalidInput, NotFound
from service.reaches.models import Reach
from service.settings import get_settings
from service.signboards.board import content_hash
from service.signboards.models import Signboard, SignboardPrint
from service.signboards.schemas import BoardContent, Paper, SignboardIn, SignboardPatch


def _reach(session: Session, reach_id: int) -> Reach:
    reach = session.get(Reach, reach_id)
    if reach is None:
        raise NotFound(f"reach {reach_id} not found", code="reach_not_found", field="reach_id")
    return reach


def _middle(session: Session, reach: Reach) -> Any:
    """The point of the reach's line nearest its centroid (its start when it has no line)."""
    return session.scalar(
        select(
            func.coalesce(
                func.ST_ClosestPoint(Reach.geom, func.ST_Centroid(Reach.geom)), Reach.start_geom
            )
        ).where(Reach.id == reach.id)
    )


def _point(session: Session, reach: Reach, lon: float, lat: float) -> Any:
    """The point, if it lies within ``signboard_max_distance_m`` of the reach (geodesic)."""
    here = func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)
    line = func.coalesce(Reach.geom, Reach.start_geom)
    distance = session.scalar(
        select(func.ST_Distance(cast(here, Geography), cast(line, Geography))).where(
            Reach.id == reach.id
        )
    )
    limit = get_settings().signboard_max_distance_m
    if distance is None or distance > limit:
        raise InvalidInput(
            f"the point lies {distance or 0:.0f} m from reach {reach.code}, farther than "
            f"{limit:.0f} m: a signboard stands by its reach",
            code="point_off_reach",
            field="lon",
        )
    return session.scalar(select(here))


def _check_number(session: Session, number: str, board_id: int | None = None) -> None:
    taken = session.scalar(select(Signboard.id).where(Signboard.number == number))
    if taken is not None and taken != board_id:
        raise Conflict(
            f"signboard number {number} is taken (board {taken})",
            code="signboard_number_taken",
            field="number",
        )


def create_signboard(session: Session, body: SignboardIn, *, is_demo: bool = False) -> Signboard:
    reach = _reach(session, body.reach_id)
    _check_number(session, body.number)
    if body.lon is not None and body.lat is not None:
        geom = _point(session, reach, body.lon, body.lat)
    else:
        geom = _middle(session, reach)
    board = Signboard(
        number=body.number,
        reach_id=reach.id,
        geom=geom,
        installed_on=body.installed_on,
        note=body.note,
        is_demo=is_demo,
    )
    session.add(board)
    session.flush()
    return board


def edit_signboard(session: Session, board: Signboard, body: SignboardPatch) -> None:
    fields = body.model_fields_set
    if "number" in fields and body.number is not None:
        _check_number(session, body.number, board.id)
        board.number = body.number
    reach = _reach(session, body.reach_id) if body.reach_id is not None else None
    if reach is not None:
        board.reach_id = reach.id
    reach = reach or _reach(session, board.reach_id)
    if body.lon is not None and body.lat is not None:
        board.geom = _point(session, reach, body.lon, body.lat)
    elif "reach_id" in fields:
        board.geom = _middle(session, reach)
    if "installed_on" in fields:
        board.installed_on = body.installed_on
    if "note" in fields:
        board.note = body.note
    session.flush()


def record_print(
    session: Session, board: Signboard, content: BoardContent, paper: Paper, user_id: int | None
) -> SignboardPrint:
    """Keep what a printing showed, so the list can tell when the board went out of date."""
    row = SignboardPrint(
        signboard_id=board.id,
        paper=paper,
        content=content.model_dump(mode="json"),
        content_hash=content_hash(content),
        printed_by=user_id,
    )
    session.add(row)
    session.flush()
    return row


def photo_root() -> Path:
    return get_settings().media_dir / "signboards"


def set_photo(session: Session, board: Signboard, data: bytes, content_type: str, sha: str) -> Path:
    """Write the (already checked and decoded) photo and point the board at it; returns the
    file written so the caller removes it if the commit fails. The old file stays until the
    commit succeeds (``discard_old``)."""
    ext = "jpg" if content_type == "image/jpeg" else "png"
    rel = Path(str(board.id)) / f"{uuid.uuid4().hex}.{ext}"
    path = photo_root() / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)
    board.photo_path = str(rel)
    board.photo_content_type = content_type
    board.photo_bytes = len(data)
    board.photo_sha256 = sha
    session.flush()
    return path
