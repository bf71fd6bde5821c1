"""Meetings and their minutes: writes (and the shapes they return).

Decided items live in ``action_items``; their functions are re-exported here for callers
that import them with the meetings (the cross-boundary demo, the to-do list).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from service.areas.models import AdminArea
from service.errors import Conflict, Forbidden, InvalidInput, NotFound
from service.governance.agreements.models import AgreementParty, CooperationAgreement
from service.governance.common import Actor, check_unit, get_or_404
from service.governance.docflow import advance, local_noon
from service.governance.documents import document_number
from service.governance.meetings.action_items import (
    action_item_out,
    add_action_item,
    add_patrol_action_item,
    get_action_item,
    step_action_item,
)
from service.governance.meetings.models import ActionItem, Meeting, MeetingRiver, Minutes
from service.governance.meetings.schemas import MeetingIn
from service.governance.meetings.workflow import MINUTES_FLOW
from service.governance.permissions import speaks_for_convener
from service.officials.models import LiaisonUnit, Official
from service.rivers.models import River
from service.timeutil import today_local

#: Kinds the office organises itself (§5, §10, §16); onsite/basin are the liaison unit's (§8).
OFFICE_KINDS = ("general", "joint", "office")


def get_meeting(session: Session, meeting_id: int) -> Meeting:
    return get_or_404(session, Meeting, meeting_id, "meeting")


def create_meeting(
    session: Session, data: MeetingIn, actor: Actor, *, is_synthetic: bool = False
) -> Meeting:
    """Record a meeting held (or planned) by the office or a liaison unit."""
    if session.get(Official, data.chair_official_id) is None:
        raise NotFound(f"official {data.chair_official_id} (chair) not found")
    unit_id = data.convener_unit_id
    if data.kind in OFFICE_KINDS:
        if actor.role != "office":
            raise Forbidden(f"{data.kind} meetings are organised by the office")
        if unit_id is not None:
            raise InvalidInput(f"{data.kind} meetings are organised by the office, not a unit")
    else:
        if actor.role == "liaison":
            unit_id = unit_id or actor.liaison_unit_id
            if unit_id != actor.liaison_unit_id:
                raise Forbidden("a liaison unit records only the meetings it organises")
        elif actor.role != "office":
            raise Forbidden("meetings are recorded by the office or the organising liaison unit")
        if unit_id is None:
            raise InvalidInput("onsite and basin meetings need convener_unit_id (§8)")
        check_unit(session, unit_id)
    if data.kind != "joint" and (data.agreement_id is not None or data.convener_code):
        raise InvalidInput("agreement_id and convener_code are for joint meetings only")
    if (
        data.agreement_id is not None
        and session.get(CooperationAgreement, data.agreement_id) is None
    ):
        raise NotFound(f"cooperation agreement {data.agreement_id} not found")
    if data.convener_code is not None:
        # §10: conveners rotate among the agreement's parties (cities).
        city = session.get(AdminArea, data.convener_code)
        if city is None or city.level != "city":
            raise InvalidInput(f"convener_code {data.convener_code!r} is not a city code")
        party = None
        if data.agreement_id is not None:
            party = session.get(
                AgreementParty, {"agreement_id": data.agreement_id, "city_code": city.code}
            )
        if data.agreement_id is not None and party is None:
            raise InvalidInput(f"{city.name} is not a party to agreement {data.agreement_id}")
    rivers = set(data.river_ids)
    found = set(session.scalars(select(River.id).where(River.id.in_(rivers))).all())
    if rivers - found:
        raise NotFound(f"rivers not found: {sorted(rivers - found)}")
    meeting = Meeting(
        kind=data.kind,
        title=data.title,
        held_on=data.held_on,
        place=data.place,
        chair_official_id=data.chair_official_id,
        convener_unit_id=unit_id,
        convener_code=data.convener_code,
        agreement_id=data.agreement_id,
        attendees=data.attendees,
        summary=data.summary,
        created_by=actor.username,
        is_synthetic=is_synthetic,
    )
    session.add(meeting)
    session.flush()
    for rid in sorted(rivers):
        session.add(MeetingRiver(meeting_id=meeting.id, river_id=rid))
    session.flush()
    return meeting


def delete_meeting(session: Session, meeting: Meeting, actor: Actor) -> None:
    """Only a meeting without issued minutes, by whoever could record it."""
    if not speaks_for_convener(meeting, actor):
        raise Forbidden("only the office or the organising unit may delete this meeting")
    minutes = minutes_of(session, meeting.id)
    if minutes is not None and minutes.state == "issued":
        raise Conflict("the minutes of this meeting are issued; it can no longer be deleted")
    session.execute(delete(Meeting).where(Meeting.id == meeting.id))
    session.flush()


# --- minutes ---------------------------------------------------------------------------


def minutes_of(session: Session, meeting_id: int) -> Minutes | None:
    return session.scalar(select(Minutes).where(Minutes.meeting_id == meeting_id))


def draft_minutes(
    session: Session,
    meeting: Meeting,
    body: str,
    actor: Actor,
    *,
    on: date | None = None,
    is_synthetic: bool = False,
) -> Minutes:
    """§5, §8: the office (general/joint/office meetings) or the liaison unit drafts."""
    if not speaks_for_convener(meeting, actor):
        raise Forbidden("minutes are drafted by the organising liaison unit or the office")
    if minutes_of(session, meeting.id) is not None:
        raise Conflict(f"meeting {meeting.id} already has minutes; revise them instead")
    if on is not None and on < meeting.held_on:
        raise InvalidInput("minutes cannot be drafted before the meeting was held")
    minutes = Minutes(
        meeting_id=meeting.id,
        body=body,
        state=MINUTES_FLOW.initial,
        assignee_unit_id=meeting.convener_unit_id,
        is_synthetic=is_synthetic,
    )
    session.add(minutes)
    session.flush()
    MINUTES_FLOW.start(
        session, minutes, actor, note="起草会议纪要", at=local_noon(on) if on else None
    )
    return minutes


def step_minutes(
    session: Session,
    meeting: Meeting,
    action: str,
    actor: Actor,
    *,
    on: date | None = None,
    note: str | None = None,
    body: str | None = None,
    is_synthetic: bool = False,
) -> Minutes:
    """revise (drafter), approve / return (the chair), issue (the office, numbered)."""
    minutes = minutes_of(session, meeting.id)
    if minutes is None:
        raise NotFound(f"meeting {meeting.id} has no minutes yet")
    day = on or today_local()
    if day < meeting.held_on:
        raise InvalidInput("a step of the minutes cannot be dated before the meeting")
    if action == "revise" and not body:
        raise InvalidInput("revise needs the new body")
    advance(
        session,
        MINUTES_FLOW,
        minutes,
        action,
        actor,
        on=day,
        chief_id=meeting.chair_official_id,
        note=note,
        kind="minutes",
        title=f"{meeting.title}纪要",
        is_synthetic=is_synthetic,
        backdate=on is not None,
    )
    if action == "revise" and body:
        minutes.body = body
        session.flush()
    return minutes


def minutes_out(session: Session, minutes: Minutes) -> dict[str, Any]:
    return {
        "id": minutes.id,
        "meeting_id": minutes.meeting_id,
        "body": minutes.body,
        "state": minutes.state,
        "drafting_unit_id": minutes.assignee_unit_id,
        "approved_by_official_id": minutes.approved_by_official_id,
        "approved_on": minutes.approved_on,
        "document_number": document_number(session, minutes.document_id),
        "history": MINUTES_FLOW.history(session, [minutes.id])[minutes.id],
    }


def meeting_out(session: Session, meeting: Meeting) -> dict[str, Any]:
    minutes = minutes_of(session, meeting.id)
    chair = session.get(Official, meeting.chair_official_id) if meeting.chair_official_id else None
    unit = session.get(LiaisonUnit, meeting.convener_unit_id) if meeting.convener_unit_id else None
    return {
        **{
            c: getattr(meeting, c)
            for c in (
                "id",
                "kind",
                "title",
                "held_on",
                "place",
                "chair_official_id",
                "convener_unit_id",
                "convener_code",
                "agreement_id",
                "summary",
                "is_synthetic",
            )
        },
        "attendees": list(meeting.attendees or []),
        "chair_name": chair.name if chair else None,
        "convener": unit.name if unit else "市河长制办公室",
        "river_ids": list(
            session.scalars(
                select(MeetingRiver.river_id)
                .where(MeetingRiver.meeting_id == meeting.id)
                .order_by(MeetingRiver.river_id)
            )
        ),
        "minutes_state": minutes.state if minutes else None,
        "document_number": document_number(session, minutes.document_id) if minutes else None,
        "action_items": session.scalar(
            select(func.count()).select_from(ActionItem).where(ActionItem.meeting_id == meeting.id)
        )
        or 0,
    }


__all__ = [
    "action_item_out",
    "add_action_item",
    "add_patrol_action_item",
    "create_meeting",
    "draft_minutes",
    "get_action_item",
    "get_meeting",
    "meeting_out",
    "minutes_out",
    "step_action_item",
    "step_minutes",
]
