"""Single-use, short-lived download links (issue 15).

A browser cannot send a bearer header with a navigation: a click on ``<a download>``, a brief
opened in a new tab. A signed-in page therefore asks ``POST /api/v1/download-links`` for a
link to the GET path it wants and navigates to ``path?download_token=...``. The auth
dependency (``service.auth.deps``) reads the token when no bearer header is sent and runs the
route as the account the link belongs to, so the route's own permission and scoping apply as
for any call. A link:

- names one path with its query (canonical form: parameters sorted, the token left out) and
  is refused for any other (401 ``download_link_wrong_path``, the link stays usable);
- works once (410 ``download_link_used``) and for ``download_link_seconds`` (410
  ``download_link_expired``); unknown tokens are 401 ``download_link_invalid``;
- dies with the account's ``token_version`` or when the account is disabled (401);
- is stored as the SHA-256 of its token, never the token.

Why not the other two ways (docs/security.md): a Blob fetched with the token needs the whole
file in page memory and cannot open the brief as a page of its own; a cookie session would
put an ambient credential on every request and need CSRF protection for every write.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from service.auth.models import DownloadLink, UserAccount
from service.errors import Gone, InvalidInput, NotAuthenticated, TooManyRequests
from service.settings import get_settings

#: The query parameter carrying a link's token.
PARAM = "download_token"
#: Longest path (with its query) a link may name.
MAX_PATH = 2048
#: Only API paths, never the link route itself.
PREFIX = "/api/v1/"
#: Links an account may ask for per minute (a page asks for one per click).
MAX_PER_MINUTE = 60
#: Used or expired links are deleted after this long (they only matter until they expire).
KEEP = timedelta(hours=1)


@dataclass(frozen=True)
class Target:
    """A path a link may name: the route path and its query in canonical form."""

    path: str
    query: str

    @property
    def canonical(self) -> str:
        return self.path + (f"?{self.query}" if self.query else "")


def canonical_query(query: str) -> str:
    """The query with its parameters sorted and any download token left out."""
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != PARAM]
    return urlencode(sorted(pairs))


def parse_target(value: str) -> Target:
    """The path a client asks a link for: absolute, under ``/api/v1/``, no host, no fragment,
    no dot segments (422 ``download_path_invalid``)."""
    if len(value) > MAX_PATH:
        raise InvalidInput(
            f"path is longer than {MAX_PATH} characters", code="download_path_invalid", field="path"
        )
    parts = urlsplit(value)
    segments = parts.path.split("/")
    if (
        parts.scheme
        or parts.netloc
        or parts.fragment
        or not parts.path.startswith(PREFIX)
        or any(s in (".", "..") for s in segments)
        or "//" in parts.path
    ):
        raise InvalidInput(
            f"a download link is for a path under {PREFIX} (no host, no fragment)",
            code="download_path_invalid",
            field="path",
        )
    return Target(unquote(parts.path), canonical_query(parts.query))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def create_link(session: Session, user: UserAccount, target: Target) -> tuple[str, datetime]:
    """A new link for ``user`` to ``target``: (token, expiry). The caller checked that the
    user may GET the path and commits."""
    now = datetime.now(UTC)
    session.execute(delete(DownloadLink).where(DownloadLink.expires_at < now - KEEP))
    recent = session.scalar(
        select(func.count())
        .select_from(DownloadLink)
        .where(
            DownloadLink.user_id == user.id,
            DownloadLink.created_at > now - timedelta(minutes=1),
        )
    )
    if (recent or 0) >= MAX_PER_MINUTE:
        raise TooManyRequests(
            f"more than {MAX_PER_MINUTE} download links a minute",
            code="download_links_rate_limited",
            retry_after=60,
        )
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(seconds=get_settings().download_link_seconds)
    session.add(
        DownloadLink(
            token_hash=_hash(token),
            user_id=user.id,
            path=target.canonical,
            token_version=user.token_version,
            created_at=now,
            expires_at=expires,
        )
    )
    session.flush()
    return token, expires


def consume(session: Session, token: str, path: str, query: str) -> UserAccount:
    """The account a link's ``token`` runs ``path?query`` as; marks the link used and
    commits, so a second fetch (even a concurrent one) is refused."""
    link = session.scalar(
        select(DownloadLink).where(DownloadLink.token_hash == _hash(token)).with_for_update()
    )
    if link is None:
        raise NotAuthenticated("unknown download link", code="download_link_invalid")
    if link.path != Target(path, canonical_query(query)).canonical:  # path: decoded (ASGI)
        raise NotAuthenticated(
            "this download link is for another path", code="download_link_wrong_path"
        )
    if link.used_at is not None:
        raise Gone(
            "this download link was used already: ask for a new one", code="download_link_used"
        )
    now = datetime.now(UTC)
    if link.expires_at <= now:
        raise Gone(
            "this download link has expired: ask for a new one", code="download_link_expired"
        )
    link.used_at = now
    session.commit()
    user = session.get(UserAccount, link.user_id)
    if user is None or user.disabled or user.token_version != link.token_version:
        raise NotAuthenticated("token revoked or account disabled")
    return user
