"""Shared pieces of governance: who is acting, the county-level units, parsed targets.

An :class:`Actor` is the caller reduced to what governance rules look at (role and bound
ids); routes build it from the ``UserAccount``, the demo builds synthetic ones, so every row
is written through the same service functions either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from service.areas.models import AdminArea
from service.auth.models import UserAccount
from service.db import Base
from service.errors import InvalidInput, NotFound
from service.officials.models import Department, LiaisonUnit
from service.rivers.models import River
from service.timeutil import year_bounds

M = TypeVar("M", bound=Base)


@dataclass(frozen=True)
class Actor:
    """The caller as governance sees it."""

    role: str
    username: str
    official_id: int | None = None
    liaison_unit_id: int | None = None
    county_code: str | None = None
    township_code: str | None = None
    id: int | None = None

    @classmethod
    def of(cls, user: UserAccount) -> Actor:
        return cls(
            role=user.role,
            username=user.username,
            official_id=user.official_id,
            liaison_unit_id=user.liaison_unit_id,
            county_code=user.county_code,
            township_code=user.township_code,
            id=user.id,
        )


#: The demo's office clerk (synthetic rows are written "by" it).
DEMO_OFFICE = Actor(role="office", username="demo-office")


def counties(session: Session) -> list[tuple[str, str]]:
    """The county-level units of the focus city (code, name), by code.

    ``gis_data`` has 11; the high-tech zone (乐山高新区) has no boundary of its own there.
    """
    return [
        (r.code, r.name)
        for r in session.execute(
            select(AdminArea.code, AdminArea.name)
            .where(AdminArea.role == "focus_county")
            .order_by(AdminArea.code)
        )
    ]


def check_county(session: Session, code: str) -> str:
    """``code`` if it is one of the focus city's counties, else 422 naming the valid ones."""
    valid = dict(counties(session))
    if code not in valid:
        raise InvalidInput(
            f"county {code!r} is not a county-level unit of the city",
            valid=sorted(valid),
        )
    return code


def get_or_404(session: Session, model: type[M], row_id: int, what: str) -> M:
    """The ``model`` row with id ``row_id``, or NotFound("{what} {row_id} not found")."""
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(f"{what} {row_id} not found")
    return row


def check_unit(session: Session, unit_id: int) -> LiaisonUnit:
    return get_or_404(session, LiaisonUnit, unit_id, "liaison unit")


def check_river(session: Session, river_id: int) -> River:
    return get_or_404(session, River, river_id, "river")


def check_department(session: Session, department_id: int) -> Department:
    return get_or_404(session, Department, department_id, "department")


def target_name(
    session: Session,
    county_code: str | None,
    unit_id: int | None,
    department_id: int | None = None,
) -> str | None:
    """A display name for a county / liaison unit / department target."""
    if county_code:
        name = session.scalar(select(AdminArea.name).where(AdminArea.code == county_code))
        return name or county_code
    if unit_id:
        return session.scalar(select(LiaisonUnit.name).where(LiaisonUnit.id == unit_id))
    if department_id:
        return session.scalar(select(Department.name).where(Department.id == department_id))
    return None


def check_one_target(
    session: Session,
    county_code: str | None,
    unit_id: int | None,
    department_id: int | None = None,
) -> None:
    """Exactly one of county / liaison unit / department, and it must exist."""
    given = [v for v in (county_code, unit_id, department_id) if v is not None]
    if len(given) != 1:
        raise InvalidInput("give exactly one target: a county code, a liaison unit or a department")
    if county_code is not None:
        check_county(session, county_code)
    if unit_id is not None:
        check_unit(session, unit_id)
    if department_id is not None:
        check_department(session, department_id)


def newest_first(
    session: Session,
    model: type[M],
    day: InstrumentedAttribute[date],
    *,
    year: int | None = None,
    kind: str | None = None,
    county: str | None = None,
) -> Sequence[M]:
    """Rows of ``model`` newest first (its date column ``day``, then ``id``), for the list
    endpoints: ``year`` keeps the rows whose ``day`` falls in it (local days), ``kind`` and
    ``county`` (``county_code``) filter when given."""
    columns = model.__table__.c
    stmt = select(model).order_by(day.desc(), columns.id.desc())
    if year is not None:
        stmt = stmt.where(day.between(*year_bounds(year)))
    if kind:
        stmt = stmt.where(columns.kind == kind)
    if county:
        stmt = stmt.where(columns.county_code == county)
    return session.scalars(stmt).all()
