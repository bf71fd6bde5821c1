"""HTTP: meetings, minutes (drafted → approved → issued) and decided items."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response, status
from sqlalchemy import select

from service.auth.deps import OptionalUser
from service.db import SessionDep
from service.errors import InvalidInput, NotFound
from service.governance.common import Actor
from service.governance.deps import ActionItemUpdater, MeetingsWriter, Reader
from service.governance.meetings import service
from service.governance.meetings.models import ActionItem, Meeting, MeetingRiver
from service.governance.meetings.schemas import (
    ActionItemIn,
    ActionItemOut,
    ActionItemStepIn,
    MeetingIn,
    MeetingKind,
    MeetingOut,
    MinutesIn,
    MinutesOut,
    PatrolActionItemIn,
    StepIn,
)
from service.governance.meetings.workflow import ACTION_ITEM_FLOW
from service.pagination import PageDep, paginate
from service.params import FromQ, ToQ, check_range
from service.timeutil import today_local

router = APIRouter(prefix="/api/v1", tags=["governance: meetings"])


def _actor(user: Any) -> Actor | None:
    return Actor.of(user) if user is not None else None


@router.get(
    "/meetings",
    response_model=list[MeetingOut],
    operation_id="list_meetings",
    dependencies=[Reader],
)
def list_meetings(
    session: SessionDep,
    response: Response,
    page: PageDep,
    kind: MeetingKind | None = None,
    river_id: int | None = None,
    agreement_id: int | None = None,
    from_: FromQ = None,
    to: ToQ = None,
) -> list[dict[str, Any]]:
    """Meetings, newest first; ``from``/``to`` are inclusive local days."""
    check_range(from_, to)
    stmt = select(Meeting).order_by(Meeting.held_on.desc(), Meeting.id.desc())
    if kind:
        stmt = stmt.where(Meeting.kind == kind)
    if agreement_id is not None:
        stmt = stmt.where(Meeting.agreement_id == agreement_id)
    if river_id is not None:
        stmt = stmt.where(
            Meeting.id.in_(select(MeetingRiver.meeting_id).where(MeetingRiver.river_id == river_id))
        )
    if from_:
        stmt = stmt.where(Meeting.held_on >= from_)
    if to:
        stmt = stmt.where(Meeting.held_on <= to)
    meetings = session.scalars(stmt).all()
    return paginate([service.meeting_out(session, m) for m in meetings], page, response)


@router.post(
    "/meetings",
    response_model=MeetingOut,
    status_code=status.HTTP_201_CREATED,
    operation_id="create_meeting",
)
def create_meeting(session: SessionDep, data: MeetingIn, actor: MeetingsWriter) -> dict[str, Any]:
    """Record a meeting: general/joint/office by the office, onsite/basin by the liaison unit."""
    meeting = service.create_meeting(session, data, actor)
    session.commit()
    return service.meeting_out(session, meeting)


@router.get(
    "/meetings/{meeting_id}",
    response_model=MeetingOut,
    operation_id="get_meeting",
    dependencies=[Reader],
)
def get_meeting(session: SessionDep, meeting_id: int) -> dict[str, Any]:
    return service.meeting_out(session, service.get_meeting(session, meeting_id))


@router.delete(
    "/meetings/{meeting_id}", status_code=status.HTTP_204_NO_CONTENT, operation_id="delete_meeting"
)
def delete_meeting(session: SessionDep, meeting_id: int, actor: MeetingsWriter) -> Response:
    """Delete a meeting recorded by mistake (not once its minutes are issued)."""
    service.delete_meeting(session, service.get_meeting(session, meeting_id), actor)
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/meetings/{meeting_id}/minutes",
    response_model=MinutesOut,
    operation_id="get_minutes",
    dependencies=[Reader],
)
def get_minutes(session: SessionDep, meeting_id: int) -> dict[str, Any]:
    """The minutes with their history (drafted → approved → issued)."""
    minutes = service.minutes_of(session, service.get_meeting(session, meeting_id).id)
    if minutes is None:
        raise NotFound(f"meeting {meeting_id} has no minutes yet")
    return service.minutes_out(session, minutes)


@router.post(
    "/meetings/{meeting_id}/minutes",
    response_model=MinutesOut,
    status_code=status.HTTP_201_CREATED,
    operation_id="draft_minutes",
)
def draft_minutes(
    session: SessionDep, meeting_id: int, data: MinutesIn, actor: MeetingsWriter
) -> dict[str, Any]:
    """Draft the minutes (the organising liaison unit, or the office)."""
    meeting = service.get_meeting(session, meeting_id)
    minutes = service.draft_minutes(session, meeting, data.body, actor, on=data.on)
    session.commit()
    return service.minutes_out(session, minutes)


@router.post(
    "/meetings/{meeting_id}/minutes/transitions",
    response_model=MinutesOut,
    operation_id="step_minutes",
)
def step_minutes(
    session: SessionDep, meeting_id: int, data: StepIn, actor: MeetingsWriter
) -> dict[str, Any]:
    """``approve`` / ``return`` (the chief who chaired), ``issue`` (the office), ``revise``.

    Out of order is 409 (with ``possible_actions``); the wrong person is 403.
    """
    meeting = service.get_meeting(session, meeting_id)
    minutes = service.step_minutes(
        session, meeting, data.action, actor, on=data.on, note=data.note, body=data.body
    )
    session.commit()
    return service.minutes_out(session, minutes)


@router.get(
    "/action-items",
    response_model=list[ActionItemOut],
    operation_id="list_action_items",
    dependencies=[Reader],
)
def list_action_items(
    session: SessionDep,
    response: Response,
    page: PageDep,
    user: OptionalUser,
    meeting_id: int | None = None,
    state: str | None = None,
    county: str | None = None,
    assignee_unit_id: int | None = None,
    overdue: bool | None = None,
    river_id: int | None = None,
) -> list[dict[str, Any]]:
    """Decided items; ``overdue=true``: past due and not yet done."""
    today = today_local()
    stmt = select(ActionItem).order_by(ActionItem.due_date, ActionItem.id)
    if meeting_id is not None:
        stmt = stmt.where(ActionItem.meeting_id == meeting_id)
    if state:
        if state not in ACTION_ITEM_FLOW.states:
            raise InvalidInput(f"unknown state {state!r}", valid=list(ACTION_ITEM_FLOW.states))
        stmt = stmt.where(ActionItem.state == state)
    if county:
        stmt = stmt.where(ActionItem.assignee_county == county)
    if assignee_unit_id is not None:
        stmt = stmt.where(ActionItem.assignee_unit_id == assignee_unit_id)
    if river_id is not None:
        stmt = stmt.where(ActionItem.river_id == river_id)
    if overdue is True:
        stmt = stmt.where(ACTION_ITEM_FLOW.overdue(ActionItem, today))
    elif overdue is False:
        stmt = stmt.where(~ACTION_ITEM_FLOW.overdue(ActionItem, today))
    items = session.scalars(stmt).all()
    actor = _actor(user)
    return paginate(
        [service.action_item_out(session, i, actor, today) for i in items], page, response
    )


@router.post(
    "/meetings/{meeting_id}/action-items",
    response_model=ActionItemOut,
    status_code=status.HTTP_201_CREATED,
    operation_id="assign_action_item",
)
def add_action_item(
    session: SessionDep, meeting_id: int, data: ActionItemIn, actor: MeetingsWriter
) -> dict[str, Any]:
    """Assign (交办) a decided item to a county or a liaison unit, with a due date."""
    meeting = service.get_meeting(session, meeting_id)
    item = service.add_action_item(session, meeting, data, actor)
    session.commit()
    return service.action_item_out(session, item, actor)


@router.post(
    "/action-items",
    response_model=ActionItemOut,
    status_code=status.HTTP_201_CREATED,
    operation_id="assign_patrol_action_item",
)
def add_patrol_action_item(
    session: SessionDep, data: PatrolActionItemIn, actor: MeetingsWriter
) -> dict[str, Any]:
    """Assign an item decided on a chief's patrol (巡河确定事项, §4, §6)."""
    item = service.add_patrol_action_item(session, data, actor)
    session.commit()
    return service.action_item_out(session, item, actor)


@router.get(
    "/action-items/{item_id}",
    response_model=ActionItemOut,
    operation_id="get_action_item",
    dependencies=[Reader],
)
def get_action_item(session: SessionDep, item_id: int, user: OptionalUser) -> dict[str, Any]:
    return service.action_item_out(session, service.get_action_item(session, item_id), _actor(user))


@router.post(
    "/action-items/{item_id}/transitions",
    response_model=ActionItemOut,
    operation_id="step_action_item",
)
def step_action_item(
    session: SessionDep, item_id: int, data: ActionItemStepIn, actor: ActionItemUpdater
) -> dict[str, Any]:
    """supervise → progress → done → verify → report (reject: back to in_progress).

    Impossible from the current state: 409; not this caller's step: 403.
    """
    item = service.get_action_item(session, item_id)
    service.step_action_item(session, item, data.action, actor, note=data.note, on=data.on)
    session.commit()
    return service.action_item_out(session, item, actor)
