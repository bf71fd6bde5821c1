"""Account operations shared by the API and the CLI."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.areas.models import AdminArea
from service.auth.models import ROLES, UserAccount
from service.auth.passwords import hash_password, verify_password
from service.errors import Conflict, InvalidInput, NotAuthenticated, TooManyRequests
from service.officials.models import LiaisonUnit, Official
from service.reaches.models import Township
from service.settings import get_settings

#: The binding each role needs; any other binding is refused.
ROLE_BINDING: dict[str, tuple[str, ...]] = {
    "office": (),
    "chief": ("official_id",),
    "patrol": ("official_id",),
    "liaison": ("liaison_unit_id",),
    "county": ("county_code",),
    "township": ("township_code",),
    "neighbor_viewer": ("neighbor_code",),
}


def check_password(password: str, username: str | None = None) -> None:
    """Refuse a password too short to resist guessing, or equal to the username."""
    minimum = get_settings().password_min_length
    if len(password) < minimum:
        raise InvalidInput(f"password must have at least {minimum} characters")
    if username is not None and password.strip().lower() == username.strip().lower():
        raise InvalidInput("password must not be the username")


def check_binding(
    session: Session,
    role: str,
    *,
    official_id: int | None = None,
    liaison_unit_id: int | None = None,
    county_code: str | None = None,
    neighbor_code: str | None = None,
    township_code: str | None = None,
) -> None:
    """Check that ``role`` has the binding it needs (what scopes the account's reads), and
    no binding of another role (an office account bound to a county would be misleading)."""
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    given = {
        "official_id": official_id,
        "liaison_unit_id": liaison_unit_id,
        "county_code": county_code,
        "neighbor_code": neighbor_code,
        "township_code": township_code,
    }
    extra = sorted(k for k, v in given.items() if v is not None and k not in ROLE_BINDING[role])
    if extra:
        raise InvalidInput(f"role {role} takes no {', '.join(extra)}", code="foreign_binding")
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
    if role == "township" and (
        township_code is None or session.get(Township, township_code) is None
    ):
        raise InvalidInput("role township needs --township-code of a township of the focus city")
    if role == "neighbor_viewer":
        area = session.get(AdminArea, neighbor_code) if neighbor_code else None
        if area is None or area.role != "neighbor_city":
            raise InvalidInput("role neighbor_viewer needs --neighbor-code of a neighbour city")


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
    township_code: str | None = None,
) -> UserAccount:
    """Create an account, checking that the role has the binding it needs."""
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    check_password(password, username)
    if session.scalar(select(UserAccount).where(UserAccount.username == username)):
        raise Conflict(f"user {username!r} exists")
    check_binding(
        session,
        role,
        official_id=official_id,
        liaison_unit_id=liaison_unit_id,
        county_code=county_code,
        neighbor_code=neighbor_code,
        township_code=township_code,
    )
    user = UserAccount(
        username=username,
        password_hash=hash_password(password),
        role=role,
        official_id=official_id,
        liaison_unit_id=liaison_unit_id,
        county_code=county_code,
        neighbor_code=neighbor_code,
        township_code=township_code,
    )
    session.add(user)
    session.flush()
    return user


_dummy_hash: list[str] = []


def _dummy() -> str:
    """Verified against when the username is unknown, so both cases cost one argon2 hash and
    response time does not tell which usernames exist (made on first use)."""
    if not _dummy_hash:
        _dummy_hash.append(hash_password("riverchief-no-such-account"))
    return _dummy_hash[0]


def authenticate(
    session: Session, username: str, password: str, *, now: datetime | None = None
) -> UserAccount:
    """The account for these credentials, else NotAuthenticated (same message either way).

    A locked account gets TooManyRequests with the seconds left, even with the right
    password. A wrong password counts in ``failed_logins``; at
    ``settings.login_max_failures`` the account is locked for ``login_lockout_minutes``.
    The caller commits, also when this raises, so the count is kept.
    """
    settings = get_settings()
    now = now or datetime.now(UTC)
    user = session.scalar(select(UserAccount).where(UserAccount.username == username))
    if user is not None and user.locked_until is not None and user.locked_until > now:
        wait = max(1, math.ceil((user.locked_until - now).total_seconds()))
        raise TooManyRequests(
            f"account locked after repeated failed sign-ins; try again in {wait} s",
            code="account_locked",
            retry_after=wait,
        )
    if user is None:
        verify_password(password, _dummy())
        raise NotAuthenticated("incorrect username or password")
    if not verify_password(password, user.password_hash) or user.disabled:
        if not user.disabled:
            user.failed_logins += 1
            if user.failed_logins >= settings.login_max_failures:
                user.locked_until = now + timedelta(minutes=settings.login_lockout_minutes)
                user.failed_logins = 0
        raise NotAuthenticated("incorrect username or password")
    if user.failed_logins or user.locked_until is not None:
        user.failed_logins = 0
        user.locked_until = None
    return user
