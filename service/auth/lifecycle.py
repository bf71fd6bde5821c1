"""Account lifecycle: disable, change role or binding, reset or change a password, unlock.

Every change that alters what a token may do bumps ``token_version``, which every token
carries: tokens issued before stop working at once (``service.auth.deps``). The office can
never lock itself out: the last enabled office account cannot be disabled or demoted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.auth.models import UserAccount
from service.auth.passwords import generate_password, hash_password, verify_password
from service.auth.service import check_binding, check_password
from service.errors import Conflict, Forbidden

BINDINGS = ("official_id", "liaison_unit_id", "county_code", "neighbor_code", "township_code")


@dataclass
class AccountChange:
    """Fields an office user may change; None leaves a field as it is.

    Bindings are replaced as a set when the role changes (a chief turned liaison keeps no
    ``official_id``); without a role change, the given bindings replace the old ones.
    """

    role: str | None = None
    disabled: bool | None = None
    official_id: int | None = None
    liaison_unit_id: int | None = None
    county_code: str | None = None
    neighbor_code: str | None = None
    township_code: str | None = None


def revoke_tokens(user: UserAccount) -> None:
    """Invalidate every token issued to ``user`` so far."""
    user.token_version = (user.token_version or 0) + 1


def _enabled_offices(session: Session) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(UserAccount)
            .where(UserAccount.role == "office", UserAccount.disabled.is_(False))
        )
        or 0
    )


def update_account(session: Session, user: UserAccount, change: AccountChange) -> UserAccount:
    """Apply ``change``; revoke the account's tokens if anything it can do changed."""
    role = change.role or user.role
    bindings: dict[str, Any] = {name: getattr(change, name) for name in BINDINGS}
    if change.role is not None and change.role != user.role:
        # A new role takes only the bindings given with it.
        new_bindings = bindings
    else:
        new_bindings = {
            name: value if value is not None else getattr(user, name)
            for name, value in bindings.items()
        }
    check_binding(session, role, **new_bindings)
    disabled = user.disabled if change.disabled is None else change.disabled
    stays_office = role == "office" and not disabled
    demoting_office = user.role == "office" and not user.disabled and not stays_office
    if demoting_office and _enabled_offices(session) <= 1:
        raise Conflict(
            "this is the last enabled office account: create or enable another first",
            code="last_office",
        )
    changed = (
        role != user.role
        or disabled != user.disabled
        or any(new_bindings[name] != getattr(user, name) for name in BINDINGS)
    )
    if changed:
        user.role = role
        user.disabled = disabled
        for name, value in new_bindings.items():
            setattr(user, name, value)
        revoke_tokens(user)
        session.flush()
    return user


def reset_password(session: Session, user: UserAccount, password: str | None = None) -> str | None:
    """Set a new password (generated when None, then returned), revoke tokens, unlock."""
    generated = password is None
    new = generate_password() if password is None else password
    check_password(new, user.username)
    user.password_hash = hash_password(new)
    user.failed_logins = 0
    user.locked_until = None
    revoke_tokens(user)
    session.flush()
    return new if generated else None


def change_own_password(session: Session, user: UserAccount, current: str, new: str) -> None:
    """The signed-in user changes their password; other sessions' tokens stop working."""
    if not verify_password(current, user.password_hash):
        raise Forbidden("the current password is wrong", code="wrong_password")
    if current == new:
        raise Conflict("the new password is the current one", code="same_password")
    check_password(new, user.username)
    user.password_hash = hash_password(new)
    revoke_tokens(user)
    session.flush()


def unlock(session: Session, user: UserAccount) -> None:
    """Lift a lockout after failed sign-ins (tokens stay valid: nothing was compromised). The
    callers also clear the username's window (``ratelimit.forget_login_failures``)."""
    user.failed_logins = 0
    user.locked_until = None
    session.flush()
