"""Cooperation agreements (合作协议, seed §10): record, correct, delete, read.

Joint meetings under an agreement are ``meeting`` rows of kind ``joint`` with its
``agreement_id`` (``joint.py`` reads them); an agreement a meeting refers to is never deleted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from service.areas.models import AdminArea
from service.auth.scope import Scope
from service.errors import Conflict, Forbidden, InvalidInput, NotFound
from service.governance.agreements.models import (
    AgreementParty,
    AgreementRiver,
    CooperationAgreement,
)
from service.governance.agreements.schemas import AgreementOut, PartyOut, RiverRef
from service.governance.meetings.models import Meeting
from service.rivers.models import River
from service.settings import get_settings

#: Agreement fields that may be set to null by an update.
OPTIONAL_FIELDS = frozenset({"document_no", "valid_until", "notes"})


def names_of(session: Session, codes: Sequence[str]) -> dict[str, str]:
    return dict(
        session.execute(
            select(AdminArea.code, AdminArea.name).where(AdminArea.code.in_(codes))
        ).all()
    )


def _agreements_out(
    session: Session, agreements: Sequence[CooperationAgreement]
) -> list[AgreementOut]:
    ids = [a.id for a in agreements]
    parties: dict[int, list[AgreementParty]] = defaultdict(list)
    for p in session.scalars(
        select(AgreementParty)
        .where(AgreementParty.agreement_id.in_(ids))
        .order_by(AgreementParty.rotation_order)
    ):
        parties[p.agreement_id].append(p)
    rivers: dict[int, list[RiverRef]] = defaultdict(list)
    for agreement_id, river_id, name in session.execute(
        select(AgreementRiver.agreement_id, River.id, River.name)
        .join(River, River.id == AgreementRiver.river_id)
        .where(AgreementRiver.agreement_id.in_(ids))
        .order_by(River.id)
    ):
        rivers[agreement_id].append(RiverRef(river_id=river_id, name=name))
    names = names_of(session, [p.city_code for ps in parties.values() for p in ps])
    return [
        AgreementOut(
            id=a.id,
            title=a.title,
            document_no=a.document_no,
            signed_on=a.signed_on,
            valid_until=a.valid_until,
            meeting_interval_months=a.meeting_interval_months,
            notes=a.notes,
            parties=[
                PartyOut(
                    code=p.city_code,
                    name=names.get(p.city_code),
                    rotation_order=p.rotation_order,
                )
                for p in parties[a.id]
            ],
            rivers=rivers[a.id],
            is_synthetic=a.is_synthetic,
        )
        for a in agreements
    ]


def agreements_of(session: Session, neighbor_code: str | None = None) -> list[AgreementOut]:
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
    return _agreements_out(session, list(session.scalars(stmt)))


def visible_agreement(session: Session, user: Scope, agreement_id: int) -> AgreementOut:
    """One agreement: 404 if absent, 403 for a neighbour viewer whose city is not a party."""
    agreement = session.get(CooperationAgreement, agreement_id)
    if agreement is None:
        raise NotFound(f"cooperation agreement {agreement_id} not found")
    out = _agreements_out(session, [agreement])[0]
    parties = {p.code for p in out.parties}
    if user.role == "neighbor_viewer" and user.neighbor_code not in parties:
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
