"""Reminders, circulars, admonitions, accountability hand-overs (§20-21); commendations,
praise and incentives (§17-19). Circulars, commendations and praise are issued documents."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from service.errors import Conflict, InvalidInput
from service.governance.accountability.models import AccountabilityRecord, Commendation
from service.governance.accountability.schemas import (
    AccountabilityIn,
    CommendationIn,
    FollowUpIn,
)
from service.governance.common import Actor, check_one_target, check_river, target_name
from service.governance.documents import document_number, issue_document

KIND_LABELS = {
    "reminder": "提示",
    "circular": "通报",
    "admonition": "约谈",
    "accountability": "问责线索移交",
    "commendation": "表彰",
    "praise": "表扬",
    "incentive": "激励",
}
#: Kinds issued as numbered documents of the general chief office (§18, §20).
NUMBERED = ("circular", "commendation", "praise")


def record(
    session: Session, data: AccountabilityIn, actor: Actor, *, is_synthetic: bool = False
) -> AccountabilityRecord:
    check_one_target(session, data.county_code, data.liaison_unit_id, data.department_id)
    if data.river_id is not None:
        check_river(session, data.river_id)
    if data.kind == "accountability" and not data.handed_to:
        raise InvalidInput("an accountability hand-over needs handed_to (the receiving body)")
    row = AccountabilityRecord(
        **data.model_dump(), created_by=actor.username, is_synthetic=is_synthetic
    )
    _save(
        session,
        row,
        document_kind="circular",
        title="关于{name}河湖长制工作的通报",
        issued_on=data.issued_on,
        is_synthetic=is_synthetic,
    )
    return row


def follow_up(session: Session, row: AccountabilityRecord, data: FollowUpIn) -> None:
    if row.kind != "admonition":
        raise Conflict("only admonition interviews are re-checked (§21)")
    if data.follow_up_on < row.issued_on:
        raise InvalidInput("the re-check cannot be before the interview")
    row.follow_up_on = data.follow_up_on
    row.follow_up_note = data.follow_up_note
    session.flush()


def commend(
    session: Session, data: CommendationIn, actor: Actor, *, is_synthetic: bool = False
) -> Commendation:
    check_one_target(session, data.county_code, data.liaison_unit_id, data.department_id)
    row = Commendation(**data.model_dump(), created_by=actor.username, is_synthetic=is_synthetic)
    _save(
        session,
        row,
        document_kind="other",
        title=f"关于{KIND_LABELS[data.kind]}{{name}}的通报",
        issued_on=data.awarded_on,
        is_synthetic=is_synthetic,
    )
    return row


def _save(
    session: Session,
    row: AccountabilityRecord | Commendation,
    *,
    document_kind: str,
    title: str,
    issued_on: date,
    is_synthetic: bool,
) -> None:
    """Add ``row``; a kind in NUMBERED is also issued as a numbered office document whose
    ``title`` names the target where it says ``{name}``."""
    session.add(row)
    session.flush()
    if row.kind in NUMBERED:
        name = target_name(session, row.county_code, row.liaison_unit_id, row.department_id)
        doc = issue_document(
            session,
            kind=document_kind,
            title=title.format(name=name),
            issued_on=issued_on,
            ref_id=row.id,
            is_synthetic=is_synthetic,
        )
        row.document_id = doc.id
        session.flush()


def out(session: Session, row: AccountabilityRecord | Commendation) -> dict[str, Any]:
    return {
        **{c.key: getattr(row, c.key) for c in row.__table__.columns},
        "target_name": target_name(
            session, row.county_code, row.liaison_unit_id, row.department_id
        ),
        "document_number": document_number(session, row.document_id),
    }
