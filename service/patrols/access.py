"""Who may upload patrols for whom, and who may see which patrols (scoping on top of the matrix).

- office: any chief;
- chief: themselves (their account's ``official_id``);
- patrol: the official their account records for (acts as that chief);
- liaison: chiefs of the rivers their unit serves on the patrol's date (a liaison unit serves
  the river chiefs of its rivers, 市级河长联络员单位).
Everyone else is refused by the role matrix before these checks run.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true
from sqlalchemy.orm import Session, aliased

from service.auth.models import UserAccount
from service.auth.scope import Scope
from service.errors import Forbidden, InvalidInput
from service.officials.models import Assignment
from service.patrols.models import Patrol


def _active(a: Any, on: Any) -> ColumnElement[bool]:
    """``a`` in force on ``on`` (a date or a date column; both ends inclusive)."""
    return and_(a.valid_from <= on, or_(a.valid_to.is_(None), a.valid_to >= on))


def served_by_unit(unit_id: int, chief_id: Any, on: Any) -> ColumnElement[bool]:
    """True where unit ``unit_id`` serves a river that ``chief_id`` is river chief of on ``on``."""
    unit = aliased(Assignment)
    chief = aliased(Assignment)
    return exists(
        select(1)
        .select_from(unit)
        .join(chief, chief.river_id == unit.river_id)
        .where(
            unit.liaison_unit_id == unit_id,
            unit.role == "liaison_unit",
            _active(unit, on),
            chief.official_id == chief_id,
            chief.role == "river_chief",
            _active(chief, on),
        )
    )


def default_chief(user: UserAccount, chief_id: int | None) -> int:
    """The chief an upload is for: the given one, or the caller's own official."""
    if user.role in ("chief", "patrol"):
        if user.official_id is None:
            raise Forbidden(f"account {user.username!r} is not linked to an official")
        if chief_id is not None and chief_id != user.official_id:
            raise Forbidden(
                f"a {user.role} account may upload only for official {user.official_id}"
            )
        return user.official_id
    if chief_id is None:
        raise InvalidInput("chief_id is required: say which chief made this patrol")
    return chief_id


def visible_patrols(user: Scope) -> ColumnElement[bool]:
    """A WHERE clause on ``Patrol``: the patrols ``user`` may see (routes, times, details)."""
    if user.role == "office":
        return true()
    if user.role in ("chief", "patrol") and user.official_id is not None:
        return Patrol.chief_id == user.official_id
    if user.role == "liaison" and user.liaison_unit_id is not None:
        return served_by_unit(user.liaison_unit_id, Patrol.chief_id, Patrol.patrol_date)
    return false()


def may_act_for(session: Session, user: Scope, chief_id: int, on: date) -> bool:
    """Whether ``user`` may upload for (or see patrols of) ``chief_id`` dated ``on``."""
    if user.role == "office":
        return True
    if user.role in ("chief", "patrol"):
        return user.official_id == chief_id
    if user.role == "liaison" and user.liaison_unit_id is not None:
        return bool(session.scalar(select(served_by_unit(user.liaison_unit_id, chief_id, on))))
    return False


def check_may_act_for(session: Session, user: Scope, chief_id: int, on: date) -> None:
    if not may_act_for(session, user, chief_id, on):
        raise Forbidden(
            f"this {user.role} account may not record or see patrols of "
            f"official {chief_id} on {on.isoformat()}"
        )


def check_may_see(session: Session, user: Scope, patrol: Patrol) -> None:
    """403 for someone else's patrol, naming neither its chief nor its date (issue 14: the
    refusal of a read must not tell who patrolled when)."""
    if not may_act_for(session, user, patrol.chief_id, patrol.patrol_date):
        raise Forbidden("this patrol is not visible to this account", code="patrol_forbidden")
