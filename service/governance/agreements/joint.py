"""Joint meetings (联席会议) held under cooperation agreements, their open decided items, and
the rotation of conveners (seed §10).

Joint meetings are ``meeting`` rows of kind ``joint`` with ``agreement_id`` and
``convener_code``; their decided items are ``action_item`` rows in the meetings workflow.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.areas.models import AdminArea
from service.auth.scope import Scope
from service.governance.agreements.schemas import (
    JointMeetingOut,
    LastMeeting,
    NextConvenerOut,
    OpenActionItemOut,
    RiverRef,
)
from service.governance.agreements.service import names_of, visible_agreement
from service.governance.meetings.models import ActionItem, Meeting, MeetingRiver
from service.governance.meetings.workflow import ACTION_ITEM_FLOW
from service.officials.models import LiaisonUnit
from service.rivers.models import River
from service.timeutil import today_local


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def joint_meetings(session: Session, agreement_ids: Sequence[int]) -> list[JointMeetingOut]:
    """Joint meetings held under these agreements, newest first, with their rivers."""
    if not agreement_ids:
        return []
    rows = list(
        session.scalars(
            select(Meeting)
            .where(Meeting.kind == "joint", Meeting.agreement_id.in_(agreement_ids))
            .order_by(Meeting.held_on.desc(), Meeting.id.desc())
        )
    )
    rivers: dict[int, list[RiverRef]] = defaultdict(list)
    for meeting_id, river_id, name in session.execute(
        select(MeetingRiver.meeting_id, River.id, River.name)
        .join(River, River.id == MeetingRiver.river_id)
        .where(MeetingRiver.meeting_id.in_([m.id for m in rows]))
        .order_by(River.id)
    ):
        rivers[meeting_id].append(RiverRef(river_id=river_id, name=name))
    names = names_of(session, [m.convener_code for m in rows if m.convener_code])
    return [
        JointMeetingOut(
            id=m.id,
            agreement_id=m.agreement_id,
            title=m.title,
            held_on=m.held_on,
            place=m.place,
            convener_code=m.convener_code,
            convener_name=names.get(m.convener_code or ""),
            attendees=list(m.attendees or []),
            summary=m.summary,
            rivers=rivers[m.id],
            is_synthetic=m.is_synthetic,
        )
        for m in rows
    ]


def open_action_items(session: Session, meeting_ids: Sequence[int]) -> list[OpenActionItemOut]:
    """Decided items of these meetings still open in the governance workflow (done but not yet
    verified counts as open), earliest due first."""
    if not meeting_ids:
        return []
    rows = session.execute(
        select(
            ActionItem,
            Meeting.id,
            Meeting.held_on,
            Meeting.title,
            AdminArea.name,
            LiaisonUnit.name,
        )
        .join(Meeting, Meeting.id == ActionItem.meeting_id)
        .outerjoin(AdminArea, AdminArea.code == ActionItem.assignee_county)
        .outerjoin(LiaisonUnit, LiaisonUnit.id == ActionItem.assignee_unit_id)
        .where(
            ActionItem.meeting_id.in_(meeting_ids),
            ActionItem.state.in_(sorted(ACTION_ITEM_FLOW.open_states)),
        )
        .order_by(ActionItem.due_date, ActionItem.id)
    ).all()
    today = today_local()
    return [
        OpenActionItemOut(
            id=item.id,
            meeting_id=meeting_id,
            meeting_title=title,
            meeting_held_on=held_on,
            title=item.title,
            river_id=item.river_id,
            assignee=county or unit,
            due_date=item.due_date,
            state=item.state,
            state_label=ACTION_ITEM_FLOW.state_labels.get(item.state, item.state),
            overdue=ACTION_ITEM_FLOW.is_overdue(item, today),
        )
        for item, meeting_id, held_on, title, county, unit in rows
    ]


def next_convener(session: Session, user: Scope, agreement_id: int) -> NextConvenerOut:
    """The next joint meeting's convener: the party after the last meeting's convener in the
    rotation (the first party when none was held); due ``meeting_interval_months`` after it."""
    agreement = visible_agreement(session, user, agreement_id)
    rotation = agreement.parties
    last = session.scalars(
        select(Meeting)
        .where(Meeting.kind == "joint", Meeting.agreement_id == agreement_id)
        .order_by(Meeting.held_on.desc(), Meeting.id.desc())
        .limit(1)
    ).first()
    codes = [p.code for p in rotation]
    if last is None:
        nxt = rotation[0]
        due = agreement.signed_on
    else:
        if last.convener_code in codes:
            nxt = rotation[(codes.index(last.convener_code) + 1) % len(codes)]
        else:  # a convener outside the rotation: start it again
            nxt = rotation[0]
        due = _add_months(last.held_on, agreement.meeting_interval_months)
    return NextConvenerOut(
        agreement_id=agreement_id,
        rotation=rotation,
        last_meeting=None
        if last is None
        else LastMeeting(
            id=last.id, held_on=last.held_on, convener_code=last.convener_code, place=last.place
        ),
        next_convener_code=nxt.code,
        next_convener_name=nxt.name,
        due_on=due,
    )
