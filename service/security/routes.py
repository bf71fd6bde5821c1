"""HTTP: account administration (office), the audit log (office)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from service.auth.deps import requires
from service.auth.lifecycle import AccountChange, reset_password, unlock, update_account
from service.auth.models import UserAccount
from service.auth.passwords import generate_password
from service.auth.service import create_user
from service.bounds import PlausibleDate
from service.db import SessionDep
from service.pagination import PageDep, set_total
from service.params import check_range
from service.security import queries
from service.security.queries import AuditFilter
from service.security.ratelimit import forget_login_failures
from service.security.schemas import (
    AuditOut,
    PasswordReset,
    PasswordResetOut,
    UserCreate,
    UserCreated,
    UserOut,
    UserUpdate,
)

router = APIRouter(prefix="/api/v1")
Admin = Annotated[UserAccount, Depends(requires("users.admin"))]


def _user(_: Admin, session: SessionDep, user_id: int) -> UserAccount:
    # Depends on Admin so a forbidden caller gets 403, never a 404 that reveals ids.
    return queries.get_user(session, user_id)


TargetUser = Annotated[UserAccount, Depends(_user)]


@router.get("/users", response_model=list[UserOut], operation_id="list_users", tags=["users"])
def list_users(
    _: Admin,
    session: SessionDep,
    response: Response,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=64, description="part of the username")] = None,
    role: Annotated[str | None, Query(max_length=16, description="one role")] = None,
    disabled: bool | None = None,
) -> Any:
    """Accounts, by id (office only); ``X-Total-Count`` has the total of the filtered list."""
    total, rows = queries.list_users(session, page, queries.UserFilter(q, role, disabled))
    set_total(response, total)
    return rows


@router.post(
    "/users",
    response_model=UserCreated,
    status_code=201,
    operation_id="create_user",
    tags=["users"],
)
def create_account(_: Admin, session: SessionDep, body: UserCreate) -> Any:
    """Create an account; without ``password`` a generated one is returned once."""
    password = body.password or generate_password()
    user = create_user(
        session,
        body.username,
        password,
        body.role,
        official_id=body.official_id,
        liaison_unit_id=body.liaison_unit_id,
        county_code=body.county_code,
        neighbor_code=body.neighbor_code,
        township_code=body.township_code,
    )
    session.commit()
    out = UserCreated.model_validate(user, from_attributes=True)
    out.password = None if body.password else password
    return out


@router.get("/users/{user_id}", response_model=UserOut, operation_id="get_user", tags=["users"])
def get_account(_: Admin, user: TargetUser) -> Any:
    return user


@router.patch(
    "/users/{user_id}", response_model=UserOut, operation_id="update_user", tags=["users"]
)
def update(_: Admin, session: SessionDep, user: TargetUser, body: UserUpdate) -> Any:
    """Change role, bindings or ``disabled``; any change revokes the account's tokens.

    The last enabled office account cannot be disabled or demoted (409).
    """
    update_account(session, user, AccountChange(**body.model_dump()))
    session.commit()
    return user


@router.post(
    "/users/{user_id}/password",
    response_model=PasswordResetOut,
    operation_id="reset_user_password",
    tags=["users"],
)
def reset(_: Admin, session: SessionDep, user: TargetUser, body: PasswordReset) -> Any:
    """Reset a password: ``{"password": ...}``, or ``{"generate": true}`` for a generated one
    (returned once); revokes tokens and lifts a lockout. Neither or both: 422."""
    generated = reset_password(session, user, None if body.generate else body.password)
    forget_login_failures(session, user.username)
    session.commit()
    return PasswordResetOut(user_id=user.id, password=generated)


@router.post(
    "/users/{user_id}/unlock",
    response_model=UserOut,
    operation_id="unlock_user",
    tags=["users"],
)
def unlock_account(_: Admin, session: SessionDep, user: TargetUser) -> Any:
    """Lift a lockout after failed sign-ins (the username's window too)."""
    unlock(session, user)
    forget_login_failures(session, user.username)
    session.commit()
    return user


@router.get("/audit", response_model=list[AuditOut], operation_id="list_audit", tags=["audit"])
def list_audit(
    _: Annotated[UserAccount, Depends(requires("audit.read"))],
    session: SessionDep,
    response: Response,
    page: PageDep,
    actor_id: int | None = None,
    actor: Annotated[str | None, Query(max_length=96, description="user:NAME, cli…")] = None,
    table: Annotated[str | None, Query(max_length=64, description="table name")] = None,
    action: Annotated[str | None, Query(max_length=16, description="insert, update…")] = None,
    row_id: Annotated[str | None, Query(max_length=64)] = None,
    start: Annotated[
        PlausibleDate | None, Query(alias="from", description="first local day")
    ] = None,
    end: Annotated[PlausibleDate | None, Query(alias="to", description="last local day")] = None,
) -> Any:
    """Audited writes, newest first (office only): who, when, what, before/after."""
    check_range(start, end)
    flt = AuditFilter(actor_id, actor, table, action, row_id, start, end)
    total, rows = queries.list_audit(session, flt, page)
    set_total(response, total)
    return rows
