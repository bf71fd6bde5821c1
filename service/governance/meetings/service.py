"""Meetings, their minutes and decided items: writes (and the shapes they return)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from service.areas.models import AdminArea
from service.cross_boundary.models import AgreementParty, CooperationAgreement
from service.errors import Conflict, Forbidden, InvalidInput, NotFound
from service.governance.common import Actor, check_county, check_unit, target_name
from service.governance.docflow import advance, local_noon
from service.governance.documents import OfficeDocument
from service.governance.meetings.models import ActionItem, Meeting, MeetingRiver, Minutes
from service.governance.meetings.schemas import ActionItemIn, MeetingIn
from service.governance.meetings.workflow import ACTION_ITEM_FLOW, MINUTES_FLOW
from service.officials.models import LiaisonUnit, Official
from service.rivers.models import River
from service.timeutil import today_local

#: Kinds the office organises itself (§5, §10, §16); onsite/basin are the liaison unit's (§8).
OFFICE_KINDS = ("general", "joint", "office")


def get_meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(f"meeting {meeting_id} not found")
    return meeting


def _speaks_for_convener(meeting: Meeting, actor: Actor) -> bool:
    """Office, or the liaison unit that organised the meeting."""
    if actor.role == "office":
        return True
    return (
        actor.role == "liaison"
        and meeting.convener_unit_id is not None
        and actor.liaison_unit_id == meeting.convener_unit_id
    )


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
    if not _speaks_for_convener(meeting, actor):
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
    if not _speaks_for_convener(meeting, actor):
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


def document_number(session: Session, document_id: int | None) -> str | None:
    if document_id is None:
        return None
    return session.scalar(select(OfficeDocument.number).where(OfficeDocument.id == document_id))


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


# --- decided items ---------------------------------------------------------------------


def get_action_item(session: Session, item_id: int) -> ActionItem:
    item = session.get(ActionItem, item_id)
    if item is None:
        raise NotFound(f"decided item {item_id} not found")
    return item


def add_action_item(
    session: Session,
    meeting: Meeting,
    data: ActionItemIn,
    actor: Actor,
    *,
    is_synthetic: bool = False,
) -> ActionItem:
    """Assign (交办) a decided item of ``meeting`` to a county or a liaison unit."""
    if not _speaks_for_convener(meeting, actor):
        raise Forbidden("decided items are assigned by the office or the organising unit")
    if (data.assignee_county is None) == (data.assignee_unit_id is None):
        raise InvalidInput("give exactly one of assignee_county and assignee_unit_id")
    if data.assignee_county is not None:
        check_county(session, data.assignee_county)
    if data.assignee_unit_id is not None:
        check_unit(session, data.assignee_unit_id)
    day = data.on or today_local()
    if data.due_date < day:
        raise InvalidInput("due_date must not be before the day the item is assigned")
    if data.river_id is not None and session.get(River, data.river_id) is None:
        raise NotFound(f"river {data.river_id} not found")
    item = ActionItem(
        meeting_id=meeting.id,
        state=ACTION_ITEM_FLOW.initial,
        title=data.title,
        detail=data.detail,
        river_id=data.river_id,
        assignee_county=data.assignee_county,
        assignee_unit_id=data.assignee_unit_id,
        due_date=data.due_date,
        supervisor_unit_id=meeting.convener_unit_id,
        report_to_official_id=meeting.chair_official_id,
        is_synthetic=is_synthetic,
    )
    session.add(item)
    session.flush()
    ACTION_ITEM_FLOW.start(
        session,
        item,
        actor,
        note=f"交办：{data.title}",
        at=local_noon(data.on) if data.on else None,
    )
    return item


def step_action_item(
    session: Session,
    item: ActionItem,
    action: str,
    actor: Actor,
    *,
    note: str | None = None,
    on: date | None = None,
) -> ActionItem:
    """supervise / progress / done / reject / verify / report (see ``workflow``)."""
    ACTION_ITEM_FLOW.apply(
        session, item, action, actor, note=note, at=local_noon(on) if on else None
    )
    if action == "done":
        item.done_on = on or today_local()
    elif action == "reject":
        item.done_on = None
    session.flush()
    return item


def action_item_out(
    session: Session, item: ActionItem, actor: Actor | None, today: date | None = None
) -> dict[str, Any]:
    day = today or today_local()
    return {
        **{
            c: getattr(item, c)
            for c in (
                "id",
                "meeting_id",
                "title",
                "detail",
                "river_id",
                "assignee_county",
                "assignee_unit_id",
                "supervisor_unit_id",
                "report_to_official_id",
                "due_date",
                "state",
                "done_on",
            )
        },
        "assignee_name": target_name(session, item.assignee_county, item.assignee_unit_id),
        "overdue": ACTION_ITEM_FLOW.is_overdue(item, day),
        "allowed_actions": ACTION_ITEM_FLOW.allowed_actions(item, actor),
        "history": ACTION_ITEM_FLOW.history(session, [item.id])[item.id],
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
