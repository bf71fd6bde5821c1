"""HTTP: sign in (rate limited, with lockout), who am I, change my own password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from service.auth.deps import requires
from service.auth.lifecycle import change_own_password
from service.auth.models import UserAccount
from service.auth.schemas import Me, PasswordChange, Token
from service.auth.service import authenticate
from service.auth.tokens import issue_token
from service.db import SessionDep
from service.errors import DomainError, NotAuthenticated
from service.security.audit import set_actor
from service.security.ratelimit import client_ip, get_limiter
from service.settings import get_settings

router = APIRouter(prefix="/api/v1", tags=["auth"])


@router.post(
    "/auth/token",
    response_model=Token,
    operation_id="auth_token",
    responses={401: {"description": "wrong credentials"}, 429: {"description": "rate limited"}},
)
def login(
    request: Request,
    session: SessionDep,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
) -> Token:
    """OAuth2 password flow: exchange a username and password for a bearer token.

    Failed attempts are limited per address (``login_ip_max_failures`` per
    ``login_ip_window_minutes``) and per username (in memory, so unknown usernames behave
    like real ones), and an account is locked after ``login_max_failures`` failures in a
    row: 429 with ``Retry-After``.
    """
    settings = get_settings()
    window_s = settings.login_ip_window_minutes * 60
    by_ip = get_limiter(
        request, "login_ip", limit=settings.login_ip_max_failures, window_s=window_s
    )
    by_name = get_limiter(
        request,
        "login_name",
        limit=settings.login_max_failures,
        window_s=settings.login_lockout_minutes * 60,
    )
    ip, name = client_ip(request), form.username.strip().lower()
    by_ip.check(ip, "failed sign-ins from this address")
    by_name.check(name, "failed sign-ins for this username")
    set_actor(session, None, fallback=f"login:{form.username[:64]}")
    try:
        user = authenticate(session, form.username, form.password)
    except NotAuthenticated:
        session.commit()  # keep the failure count that may lock the account
        by_ip.record(ip)
        by_name.record(name)
        raise
    except DomainError:
        session.commit()
        raise
    session.commit()
    by_name.reset(name)
    return Token(access_token=issue_token(user.id, user.token_version))


@router.get("/auth/me", response_model=Me, operation_id="auth_me")
def me(user: Annotated[UserAccount, Depends(requires("auth.me"))]) -> Me:
    """The signed-in account and what it is bound to."""
    return Me.model_validate(user, from_attributes=True)


@router.post("/auth/password", response_model=Token, operation_id="auth_change_password")
def change_password(
    session: SessionDep,
    body: PasswordChange,
    user: Annotated[UserAccount, Depends(requires("auth.password"))],
) -> Token:
    """Change your own password. Every token issued before stops working, this one included;
    the response carries a fresh token so this client stays signed in."""
    change_own_password(session, user, body.current_password, body.new_password)
    session.commit()
    return Token(access_token=issue_token(user.id, user.token_version))
