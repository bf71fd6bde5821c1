"""Signed bearer tokens (JWT, HS256, ``RIVERCHIEF_SECRET_KEY``).

A token names the account and its ``token_version``; the account row is read on every
request, so disabling an account or changing its role or password revokes old tokens.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt

from service.errors import NotAuthenticated
from service.settings import get_settings

ALGORITHM = "HS256"


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
        claims = jwt.decode(token, get_settings().secret_key, algorithms=[ALGORITHM])
        return int(claims["sub"]), int(claims["ver"])
    except (jwt.PyJWTError, KeyError, ValueError) as exc:
        raise NotAuthenticated("invalid or expired token") from exc
