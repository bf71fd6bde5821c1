"""Decided items (会议议定事项, 巡河确定事项): assign, step through the workflow, read."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from service.errors import Forbidden, InvalidInput
from service.governance.common import (
    Actor,
    check_county,
    check_river,
    check_unit,
    get_or_404,
    target_name,
)
from service.governance.docflow import local_noon
from service.governance.meetings.models import ActionItem, Meeting
from service.governance.meetings.schemas import ActionItemIn, PatrolActionItemIn
from service.governance.meetings.workflow import ACTION_ITEM_FLOW
from service.governance.permissions import speaks_for_convener
from service.officials.queries import liaison_unit_of, rivers_of_official
from service.patrols.models import Patrol
from service.timeutil import today_local


def get_action_item(session: Session, item_id: int) -> ActionItem:
    return get_or_404(session, ActionItem, item_id, "decided item")


def add_action_item(
    session: Session,
    meeting: Meeting,
    data: ActionItemIn,
    actor: Actor,
    *,
    is_synthetic: bool = False,
) -> ActionItem:
    """Assign (交办) a decided item of ``meeting`` to a county or a liaison unit."""
    if not speaks_for_convener(meeting, actor):
        raise Forbidden("decided items are assigned by the office or the organising unit")
    return _new_item(
        session,
        data,
        actor,
        is_synthetic,
        meeting_id=meeting.id,
        supervisor_unit_id=meeting.convener_unit_id,
        report_to=meeting.chair_official_id,
    )


def add_patrol_action_item(
    session: Session, data: PatrolActionItemIn, actor: Actor, *, is_synthetic: bool = False
) -> ActionItem:
    """§4, §6: an item decided on a chief's patrol, assigned by the office (supervising it)
    or by the liaison unit that organised the patrol (a unit of a river the chief heads)."""
    patrol = get_or_404(session, Patrol, data.patrol_id, "patrol")
    unit_id = None
    if actor.role == "liaison":
        units = {
            u.id
            for rid in rivers_of_official(session, patrol.chief_id, patrol.patrol_date)
            if (u := liaison_unit_of(session, rid, patrol.patrol_date)) is not None
        }
        if actor.liaison_unit_id not in units:
            raise Forbidden("only the office or the chief's liaison unit assigns these items")
        unit_id = actor.liaison_unit_id
    elif actor.role != "office":
        raise Forbidden("items decided on a patrol are assigned by the office or liaison unit")
    if data.on is not None and data.on < patrol.patrol_date:
        raise InvalidInput("an item cannot be assigned before the patrol it came from")
    return _new_item(
        session,
        data,
        actor,
        is_synthetic,
        patrol_id=patrol.id,
        supervisor_unit_id=unit_id,
        report_to=patrol.chief_id,
    )


def _new_item(
    session: Session,
    data: ActionItemIn,
    actor: Actor,
    is_synthetic: bool,
    *,
    supervisor_unit_id: int | None,
    report_to: int | None,
    meeting_id: int | None = None,
    patrol_id: int | None = None,
) -> ActionItem:
    if (data.assignee_county is None) == (data.assignee_unit_id is None):
        raise InvalidInput("give exactly one of assignee_county and assignee_unit_id")
    if data.assignee_county is not None:
        check_county(session, data.assignee_county)
    if data.assignee_unit_id is not None:
        check_unit(session, data.assignee_unit_id)
    day = data.on or today_local()
    if data.due_date < day:
        raise InvalidInput("due_date must not be before the day the item is assigned")
    if data.river_id is not None:
        check_river(session, data.river_id)
    item = ActionItem(
        meeting_id=meeting_id,
        patrol_id=patrol_id,
        state=ACTION_ITEM_FLOW.initial,
        title=data.title,
        detail=data.detail,
        river_id=data.river_id,
        assignee_county=data.assignee_county,
        assignee_unit_id=data.assignee_unit_id,
        due_date=data.due_date,
        supervisor_unit_id=supervisor_unit_id,
        report_to_official_id=report_to,
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
                "patrol_id",
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
