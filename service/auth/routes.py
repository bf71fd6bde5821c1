"""HTTP: sign in (rate limited, with lockout), who am I, change my own password."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from service.auth import download_links
from service.auth.deps import requires
from service.auth.lifecycle import change_own_password
from service.auth.matrix import allowed
from service.auth.models import UserAccount
from service.auth.schemas import DownloadLinkIn, DownloadLinkOut, Me, PasswordChange, Token
from service.auth.service import authenticate
from service.auth.tokens import issue_token
from service.db import SessionDep
from service.errors import DomainError, Forbidden, InvalidInput
from service.security.audit import set_actor
from service.security.clients import public_base_url
from service.security.ratelimit import (
    Limit,
    clear,
    client_ip,
    login_limits,
    login_name,
    release,
    reserve,
)
from service.security.rolematrix import get_permissions
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
    ``login_ip_window_minutes``) and per username, and an account is locked after
    ``login_max_failures`` failures in a row: 429 with ``Retry-After``. Each attempt takes
    its slots (and the account's attempt count) in the database *before* the password is
    checked, so concurrent guesses cannot all be evaluated; a success gives them back.
    """
    by_ip, by_name = login_limits()
    ip, name = client_ip(request), login_name(form.username)
    set_actor(session, None, fallback=f"login:{form.username[:64]}")
    ip_slot = reserve(session, by_ip, ip)
    reserve(session, by_name, name)
    try:
        user = authenticate(session, form.username, form.password)
    except DomainError:
        session.commit()  # keep the failure count that may lock the account
        raise
    release(session, ip_slot)
    clear(session, by_name, name)
    session.commit()
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
    the response carries a fresh token so this client stays signed in.

    Wrong current passwords are limited per account (``password_change_max_failures`` per
    ``login_lockout_minutes``, 429): a stolen token must not become a password oracle. The
    attempt's slot is taken before the password is checked and given back on success."""
    s = get_settings()
    limit = Limit(
        "password_current",
        s.password_change_max_failures,
        s.login_lockout_minutes * 60,
        "wrong current passwords for this account",
    )
    slot = reserve(session, limit, str(user.id))
    change_own_password(session, user, body.current_password, body.new_password)
    release(session, slot)
    session.commit()
    return Token(access_token=issue_token(user.id, user.token_version))


@router.post(
    "/download-links",
    response_model=DownloadLinkOut,
    status_code=201,
    operation_id="create_download_link",
    responses={
        403: {"description": "the caller may not read that path"},
        422: {"description": "not a GET path of this API"},
    },
)
def create_download_link(
    request: Request,
    session: SessionDep,
    body: DownloadLinkIn,
    user: Annotated[UserAccount, Depends(requires("downloads.link"))],
) -> DownloadLinkOut:
    """A single-use link to a GET path the caller may read, for a click in the browser (a
    brief, an XLSX, a GeoPackage, a GPX): fetching ``url`` without a bearer header runs the
    route as the caller, once, within ``download_link_seconds`` (60 s). The route applies
    its permission and scoping as for any call; docs/security.md says why links."""
    target = download_links.parse_target(body.path)
    permissions = get_permissions(request.app, target.path)
    if not permissions:
        raise InvalidInput(
            f"no protected GET route at {target.path}", code="download_path_invalid", field="path"
        )
    refused = [p for p in permissions if not allowed(p, user.role)]
    if refused:
        raise Forbidden(
            f"role {user.role!r} may not read {target.path} ({refused[0]})",
            code="download_path_forbidden",
            field="path",
            permission=refused[0],
        )
    token, expires = download_links.create_link(session, user, target)
    session.commit()
    query = f"{target.query}&" if target.query else ""
    url = (
        f"{public_base_url(request)}{target.path}?{query}{urlencode({download_links.PARAM: token})}"
    )
    return DownloadLinkOut(url=url, expires_at=expires)
