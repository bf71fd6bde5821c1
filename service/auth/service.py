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


def _locked(until: datetime, now: datetime) -> TooManyRequests:
    wait = max(1, math.ceil((until - now).total_seconds()))
    return TooManyRequests(
        f"account locked after repeated failed sign-ins; try again in {wait} s",
        code="account_locked",
        retry_after=wait,
    )


def claim_attempt(session: Session, user: UserAccount, now: datetime) -> int:
    """Count one attempt against ``user`` atomically and commit it; returns its number.

    The account row is read ``FOR UPDATE``, incremented (an expired lock starts a new run at
    1) and committed before the password is checked: concurrent guesses queue on the row lock
    and each sees the count the previous one left, in every thread and worker (issue 14: 16
    concurrent guesses were all evaluated and the stored count ended at 1). A locked account
    is 429.
    """
    session.refresh(user, with_for_update=True)
    if user.locked_until is not None and user.locked_until > now:
        until = user.locked_until
        session.commit()
        raise _locked(until, now)
    if user.locked_until is not None:  # an expired lock: a new run of attempts
        user.locked_until = None
        user.failed_logins = 0
    user.failed_logins += 1
    number = user.failed_logins
    session.commit()
    return number


def lock_account(session: Session, user: UserAccount, now: datetime) -> datetime:
    """Lock ``user`` for ``login_lockout_minutes`` (the run of failures starts again after)."""
    until = now + timedelta(minutes=get_settings().login_lockout_minutes)
    session.refresh(user, with_for_update=True)
    user.locked_until = until
    user.failed_logins = 0
    session.flush()
    return until


def reset_failures(session: Session, user: UserAccount) -> None:
    session.refresh(user, with_for_update=True)
    user.failed_logins = 0
    user.locked_until = None
    session.flush()


def authenticate(
    session: Session, username: str, password: str, *, now: datetime | None = None
) -> UserAccount:
    """The account for these credentials, else NotAuthenticated (same message either way).

    A locked account gets TooManyRequests with the seconds left, even with the right
    password. Every attempt on an existing account is counted first (:func:`claim_attempt`,
    committed); the attempt numbered past ``login_max_failures`` is refused unchecked and
    the one that reaches it with a wrong password locks the account for
    ``login_lockout_minutes``. A success resets the count. The caller commits, also when
    this raises, so a lock is kept.
    """
    settings = get_settings()
    now = now or datetime.now(UTC)
    user = session.scalar(select(UserAccount).where(UserAccount.username == username))
    if user is None:
        verify_password(password, _dummy())
        raise NotAuthenticated("incorrect username or password", code="wrong_credentials")
    if user.disabled:
        verify_password(password, _dummy())  # the same cost: do not tell it is disabled
        raise NotAuthenticated("incorrect username or password", code="wrong_credentials")
    attempt = claim_attempt(session, user, now)
    if attempt > settings.login_max_failures:
        raise _locked(lock_account(session, user, now), now)
    if not verify_password(password, user.password_hash):
        if attempt >= settings.login_max_failures:
            lock_account(session, user, now)
        raise NotAuthenticated("incorrect username or password", code="wrong_credentials")
    reset_failures(session, user)
    return user
