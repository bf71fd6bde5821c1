"""Signed bearer tokens (JWT, HS256, ``RIVERCHIEF_SECRET_KEY``).

A token names the account and its ``token_version``; the account row is read on every
request, so disabling an account or changing its role or password revokes old tokens. ``exp``,
``sub`` and ``ver`` are required. In development without ``RIVERCHIEF_SECRET_KEY`` the secret
is random per data directory (``service.settings.development_secret``), never a published one.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt

from service.errors import NotAuthenticated
from service.settings import get_settings

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ("exp", "sub", "ver")


def issue_token(user_id: int, token_version: int) -> str:
    settings = get_settings()
    now = datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "ver": token_version,
        "iat": now,
        "exp": now + timedelta(minutes=settings.access_token_minutes),
    }
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)


def read_token(token: str) -> tuple[int, int]:
    """(user id, token version) from a valid, unexpired token, else NotAuthenticated."""
    try:
        claims = jwt.decode(
            token,
            get_settings().secret_key,
            algorithms=[ALGORITHM],
            # A token without an expiry would never expire, one without its version could
            # not be revoked (issue 14): all three must be there.
            options={"require": list(REQUIRED_CLAIMS)},
        )
        user_id, version = claims["sub"], claims["ver"]
        if not isinstance(version, int) or isinstance(version, bool):
            raise ValueError("ver is not an integer")
        return int(user_id), version
    except (jwt.PyJWTError, KeyError, ValueError, TypeError) as exc:
        raise NotAuthenticated("invalid or expired token", code="invalid_token") from exc
