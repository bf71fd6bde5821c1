"""Dependencies: the current account (or None), and permission checks from the role matrix."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from service.auth import download_links
from service.auth.matrix import PERMISSIONS, PUBLIC, allowed
from service.auth.models import UserAccount
from service.auth.tokens import read_token
from service.db import SessionDep
from service.errors import Forbidden, NotAuthenticated
from service.security.audit import set_actor

#: Attribute of a ``requires(...)`` dependency naming its permission.
PERMISSION_ATTR = "riverchief_permission"

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def get_optional_user(
    request: Request,
    session: SessionDep,
    token: Annotated[str | None, Depends(oauth2_scheme)],
) -> UserAccount | None:
    """The caller's account, None when anonymous; a bad or revoked token is 401.

    Without a bearer header, a GET may carry a single-use download link's token
    (``?download_token=``, :mod:`service.auth.download_links`): the route then runs as the
    account the link was made for, if the link names this very path and query."""
    if token is None:
        link = request.query_params.get(download_links.PARAM)
        if link is not None and request.method == "GET":
            query = request.scope["query_string"].decode("latin-1")
            linked = download_links.consume(session, link, request.scope["path"], query)
            set_actor(session, linked)
            return linked
        set_actor(session, None)
        return None
    user_id, version = read_token(token)
    user = session.get(UserAccount, user_id)
    if user is None or user.disabled or user.token_version != version:
        raise NotAuthenticated("token revoked or account disabled")
    # The audit log names this account for every write of this request's session.
    set_actor(session, user)
    return user


OptionalUser = Annotated[UserAccount | None, Depends(get_optional_user)]


def get_current_user(user: OptionalUser) -> UserAccount:
    if user is None:
        raise NotAuthenticated("sign in required")
    return user


CurrentUser = Annotated[UserAccount, Depends(get_current_user)]


def requires(permission: str) -> Callable[..., UserAccount | None]:
    """A dependency that enforces ``permission`` from the role matrix and returns the caller."""
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}: add it to service.auth.matrix")

    def check(user: OptionalUser) -> UserAccount | None:
        if PERMISSIONS[permission] == PUBLIC:
            return user
        if user is None:
            raise NotAuthenticated("sign in required")
        if not allowed(permission, user.role):
            raise Forbidden(
                f"role {user.role!r} may not do this ({permission})",
                code="role_forbidden",
                permission=permission,
            )
        return user

    check.__name__ = f"requires_{permission.replace('.', '_')}"
    # Read back by the role-matrix introspection (service.security.rolematrix).
    setattr(check, PERMISSION_ATTR, permission)
    return check
