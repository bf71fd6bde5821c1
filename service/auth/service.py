"""Account operations shared by the API and the CLI."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.areas.models import AdminArea
from service.auth.models import ROLES, UserAccount
from service.auth.passwords import hash_password, verify_password
from service.errors import Conflict, InvalidInput, NotAuthenticated
from service.officials.models import LiaisonUnit, Official


def create_user(
    session: Session,
    username: str,
    password: str,
    role: str,
    *,
    official_id: int | None = None,
    liaison_unit_id: int | None = None,
    county_code: str | None = None,
    neighbor_code: str | None = None,
) -> UserAccount:
    """Create an account, checking that the role has the binding it needs."""
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    if len(password) < 8:
        raise InvalidInput("password must have at least 8 characters")
    if session.scalar(select(UserAccount).where(UserAccount.username == username)):
        raise Conflict(f"user {username!r} exists")
    if role in ("chief", "patrol") and (
        official_id is None or session.get(Official, official_id) is None
    ):
        raise InvalidInput(f"role {role} needs --official-id of an existing official")
    if role == "liaison" and (
        liaison_unit_id is None or session.get(LiaisonUnit, liaison_unit_id) is None
    ):
        raise InvalidInput("role liaison needs --liaison-unit-id of an existing liaison unit")
    if role == "county":
        area = session.get(AdminArea, county_code) if county_code else None
        if area is None or area.role != "focus_county":
            raise InvalidInput("role county needs --county-code of a county of the focus city")
    if role == "neighbor_viewer":
        area = session.get(AdminArea, neighbor_code) if neighbor_code else None
        if area is None or area.role != "neighbor_city":
            raise InvalidInput("role neighbor_viewer needs --neighbor-code of a neighbour city")
    user = UserAccount(
        username=username,
        password_hash=hash_password(password),
        role=role,
        official_id=official_id,
        liaison_unit_id=liaison_unit_id,
        county_code=county_code,
        neighbor_code=neighbor_code,
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str) -> UserAccount:
    """The account for these credentials, else NotAuthenticated (same message either way)."""
    user = session.scalar(select(UserAccount).where(UserAccount.username == username))
    if user is None or user.disabled or not verify_password(password, user.password_hash):
        raise NotAuthenticated("incorrect username or password")
    return user
