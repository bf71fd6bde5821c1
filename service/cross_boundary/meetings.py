"""Cooperation agreements, their joint meetings (联席会议) and the rotation of conveners.

Agreements are ours; meetings and decided items are the governance module's tables
(``meeting`` of kind ``joint`` with ``agreement_id`` and ``convener_code``, ``action_item``),
read here and never duplicated.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from service.areas.models import AdminArea
from service.auth.models import UserAccount
from service.cross_boundary.models import AgreementParty, AgreementRiver, CooperationAgreement
from service.errors import Conflict, Forbidden, InvalidInput, NotFound
from service.governance.meetings.models import ActionItem, Meeting, MeetingRiver
from service.officials.models import LiaisonUnit
from service.rivers.models import River
from service.settings import get_settings
from service.timeutil import today_local

#: Agreement fields that may be set to null by an update.
OPTIONAL_FIELDS = frozenset({"document_no", "valid_until", "notes"})


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _names(session: Session, codes: Sequence[str]) -> dict[str, str]:
    return dict(
        session.execute(
            select(AdminArea.code, AdminArea.name).where(AdminArea.code.in_(codes))
        ).all()
    )


def _agreement_dicts(
    session: Session, agreements: Sequence[CooperationAgreement]
) -> list[dict[str, Any]]:
    ids = [a.id for a in agreements]
    parties: dict[int, list[AgreementParty]] = defaultdict(list)
    for p in session.scalars(
        select(AgreementParty)
        .where(AgreementParty.agreement_id.in_(ids))
        .order_by(AgreementParty.rotation_order)
    ):
        parties[p.agreement_id].append(p)
    rivers: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for agreement_id, river_id, name in session.execute(
        select(AgreementRiver.agreement_id, River.id, River.name)
        .join(River, River.id == AgreementRiver.river_id)
        .where(AgreementRiver.agreement_id.in_(ids))
        .order_by(River.id)
    ):
        rivers[agreement_id].append({"river_id": river_id, "name": name})
    names = _names(session, [p.city_code for ps in parties.values() for p in ps])
    return [
        {
            "id": a.id,
            "title": a.title,
            "document_no": a.document_no,
            "signed_on": a.signed_on,
            "valid_until": a.valid_until,
            "meeting_interval_months": a.meeting_interval_months,
            "notes": a.notes,
            "parties": [
                {
                    "code": p.city_code,
                    "name": names.get(p.city_code),
                    "rotation_order": p.rotation_order,
                }
                for p in parties[a.id]
            ],
            "rivers": rivers[a.id],
            "is_synthetic": a.is_synthetic,
        }
        for a in agreements
    ]


def agreements_of(session: Session, neighbor_code: str | None = None) -> list[dict[str, Any]]:
    """Agreements (all, or those ``neighbor_code`` is party to), newest signed first."""
    stmt = select(CooperationAgreement).order_by(
        CooperationAgreement.signed_on.desc(), CooperationAgreement.id
    )
    if neighbor_code is not None:
        stmt = stmt.where(
            CooperationAgreement.id.in_(
                select(AgreementParty.agreement_id).where(AgreementParty.city_code == neighbor_code)
            )
        )
    return _agreement_dicts(session, list(session.scalars(stmt)))


def visible_agreement(
    session: Session, user: UserAccount | None, agreement_id: int
) -> dict[str, Any]:
    """One agreement: 404 if absent, 403 for a neighbour viewer whose city is not a party."""
    agreement = session.get(CooperationAgreement, agreement_id)
    if agreement is None:
        raise NotFound(f"cooperation agreement {agreement_id} not found")
    out = _agreement_dicts(session, [agreement])[0]
    parties = {p["code"] for p in out["parties"]}
    if user is not None and user.role == "neighbor_viewer" and user.neighbor_code not in parties:
        raise Forbidden("this account's city is not a party to that agreement")
    return out


def _check_rotation(session: Session, rotation: list[str]) -> None:
    focus = get_settings().focus_city_code
    if len(set(rotation)) != len(rotation):
        raise InvalidInput("rotation names a city twice")
    if focus not in rotation:
        raise InvalidInput(f"rotation must include the focus city {focus}")
    roles = dict(
        session.execute(
            select(AdminArea.code, AdminArea.role).where(AdminArea.code.in_(rotation))
        ).all()
    )
    bad = [c for c in rotation if c != focus and roles.get(c) != "neighbor_city"]
    if bad:
        raise InvalidInput(f"not neighbour cities: {', '.join(bad)}", invalid=bad)
    if len(rotation) < 2:
        raise InvalidInput("an agreement needs at least one neighbour city")


def _check_rivers(session: Session, river_ids: list[int]) -> None:
    known = set(session.scalars(select(River.id).where(River.id.in_(river_ids))))
    missing = sorted(set(river_ids) - known)
    if missing:
        raise InvalidInput(f"unknown rivers: {missing}", invalid=missing)


def _set_parties(session: Session, agreement_id: int, rotation: list[str]) -> None:
    session.execute(delete(AgreementParty).where(AgreementParty.agreement_id == agreement_id))
    for order, code in enumerate(rotation, start=1):
        session.add(AgreementParty(agreement_id=agreement_id, city_code=code, rotation_order=order))


def _set_rivers(session: Session, agreement_id: int, river_ids: list[int]) -> None:
    session.execute(delete(AgreementRiver).where(AgreementRiver.agreement_id == agreement_id))
    for river_id in sorted(set(river_ids)):
        session.add(AgreementRiver(agreement_id=agreement_id, river_id=river_id))


def create_agreement(
    session: Session,
    *,
    title: str,
    signed_on: date,
    rotation: list[str],
    river_ids: list[int],
    document_no: str | None = None,
    valid_until: date | None = None,
    meeting_interval_months: int = 12,
    notes: str | None = None,
    is_synthetic: bool = False,
) -> CooperationAgreement:
    """Record an agreement; ``rotation`` lists the party cities in convening order."""
    _check_rotation(session, rotation)
    _check_rivers(session, river_ids)
    if valid_until is not None and valid_until < signed_on:
        raise InvalidInput("valid_until is before signed_on")
    agreement = CooperationAgreement(
        title=title,
        document_no=document_no,
        signed_on=signed_on,
        valid_until=valid_until,
        meeting_interval_months=meeting_interval_months,
        notes=notes,
        is_synthetic=is_synthetic,
    )
    session.add(agreement)
    session.flush()
    _set_parties(session, agreement.id, rotation)
    _set_rivers(session, agreement.id, river_ids)
    session.flush()
    return agreement


def update_agreement(session: Session, agreement_id: int, changes: dict[str, Any]) -> None:
    """Change the given fields; ``rotation`` and ``river_ids`` replace the lists whole.

    Past joint meetings keep their convener; the next one follows the new rotation.
    """
    agreement = session.get(CooperationAgreement, agreement_id)
    if agreement is None:
        raise NotFound(f"cooperation agreement {agreement_id} not found")
    emptied = sorted(k for k, v in changes.items() if v is None and k not in OPTIONAL_FIELDS)
    if emptied:
        raise InvalidInput(f"these fields cannot be emptied: {', '.join(emptied)}")
    rotation, river_ids = changes.pop("rotation", None), changes.pop("river_ids", None)
    if rotation is not None:
        _check_rotation(session, rotation)
    if river_ids is not None:
        _check_rivers(session, river_ids)
    signed_on = changes.get("signed_on", agreement.signed_on)
    valid_until = changes.get("valid_until", agreement.valid_until)
    if valid_until is not None and valid_until < signed_on:
        raise InvalidInput("valid_until is before signed_on")
    # Everything is checked before the first change: a refused update leaves no trace.
    for key, value in changes.items():
        setattr(agreement, key, value)
    if rotation is not None:
        _set_parties(session, agreement_id, rotation)
    if river_ids is not None:
        _set_rivers(session, agreement_id, river_ids)
    session.flush()


def delete_agreement(session: Session, agreement_id: int) -> None:
    """Delete an agreement no joint meeting refers to (409 otherwise: the record stays)."""
    agreement = session.get(CooperationAgreement, agreement_id)
    if agreement is None:
        raise NotFound(f"cooperation agreement {agreement_id} not found")
    held = session.scalar(
        select(func.count()).select_from(Meeting).where(Meeting.agreement_id == agreement_id)
    )
    if held:
        raise Conflict(f"{held} joint meeting(s) refer to this agreement; it cannot be deleted")
    session.delete(agreement)
    session.flush()


def joint_meetings(session: Session, agreement_ids: Sequence[int]) -> list[dict[str, Any]]:
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
    rivers: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for meeting_id, river_id, name in session.execute(
        select(MeetingRiver.meeting_id, River.id, River.name)
        .join(River, River.id == MeetingRiver.river_id)
        .where(MeetingRiver.meeting_id.in_([m.id for m in rows]))
        .order_by(River.id)
    ):
        rivers[meeting_id].append({"river_id": river_id, "name": name})
    names = _names(session, [m.convener_code for m in rows if m.convener_code])
    return [
        {
            "id": m.id,
            "agreement_id": m.agreement_id,
            "title": m.title,
            "held_on": m.held_on,
            "place": m.place,
            "convener_code": m.convener_code,
            "convener_name": names.get(m.convener_code or ""),
            "attendees": list(m.attendees or []),
            "summary": m.summary,
            "rivers": rivers[m.id],
            "is_synthetic": m.is_synthetic,
        }
        for m in rows
    ]


def open_action_items(session: Session, meeting_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Decided items of these meetings still open in the governance workflow (done but not yet
    verified counts as open), earliest due first."""
    # Imported here: the governance workflow module lands separately from its tables.
    from service.governance.meetings.workflow import ACTION_ITEM_FLOW

    if not meeting_ids:
        return []
    rows = session.execute(
        select(ActionItem, Meeting.held_on, Meeting.title, AdminArea.name, LiaisonUnit.name)
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
        {
            "id": item.id,
            "meeting_id": item.meeting_id,
            "meeting_title": title,
            "meeting_held_on": held_on,
            "title": item.title,
            "river_id": item.river_id,
            "assignee": county or unit,
            "due_date": item.due_date,
            "state": item.state,
            "state_label": ACTION_ITEM_FLOW.state_labels.get(item.state, item.state),
            "overdue": ACTION_ITEM_FLOW.is_overdue(item, today),
        }
        for item, held_on, title, county, unit in rows
    ]


def next_convener(session: Session, user: UserAccount | None, agreement_id: int) -> dict[str, Any]:
    """The next joint meeting's convener: the party after the last meeting's convener in the
    rotation (the first party when none was held); due ``meeting_interval_months`` after it."""
    agreement = visible_agreement(session, user, agreement_id)
    rotation = agreement["parties"]
    last = session.scalars(
        select(Meeting)
        .where(Meeting.kind == "joint", Meeting.agreement_id == agreement_id)
        .order_by(Meeting.held_on.desc(), Meeting.id.desc())
        .limit(1)
    ).first()
    codes = [p["code"] for p in rotation]
    if last is None:
        nxt = rotation[0]
        due = agreement["signed_on"]
    else:
        if last.convener_code in codes:
            nxt = rotation[(codes.index(last.convener_code) + 1) % len(codes)]
        else:  # a convener outside the rotation: start it again
            nxt = rotation[0]
        due = _add_months(last.held_on, agreement["meeting_interval_months"])
    return {
        "agreement_id": agreement_id,
        "rotation": rotation,
        "last_meeting": None
        if last is None
        else {
            "id": last.id,
            "held_on": last.held_on,
            "convener_code": last.convener_code,
            "place": last.place,
        },
        "next_convener_code": nxt["code"],
        "next_convener_name": nxt["name"],
        "due_on": due,
    }
