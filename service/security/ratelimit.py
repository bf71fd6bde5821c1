"""Rate limits that hold under concurrency: slots in the database, taken before the work.

A limit allows ``limit`` uses per ``window_s`` seconds for each key (an address, a contact,
a username) of a bucket. :func:`reserve` takes a slot *before* the work it guards: under a
transaction-level advisory lock on (bucket, key) it counts the unexpired slots, refuses with
429 and ``Retry-After`` when they are used up, else inserts one, and **commits** the request
session, so the slot is visible to every other request and worker before any expensive step
starts. Ten concurrent requests against a limit of five: five slots, five 429s (issue 14;
before, each request checked first and counted only after its work, so all ten got through).

A failed attempt keeps its slot (the public report limit counts submissions, not successes);
where only failures should count (sign-in), the caller :func:`release`\\s the slot on success.

Keys are stored as a keyed hash (``RIVERCHIEF_SECRET_KEY``): the table holds no address or
contact in clear. Expired slots are swept as new ones are taken.

Use from a route::

    slot = ratelimit.reserve(session, PUBLIC_REPORTS_BY_IP, client_ip(request))
"""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from starlette.requests import Request

from service.errors import TooManyRequests
from service.security.models import RateLimitSlot
from service.settings import get_settings
from service.timeutil import now_utc


@dataclass(frozen=True)
class Limit:
    """``limit`` uses per ``window_s`` seconds per key of ``bucket``; ``what`` names the
    uses in the 429 message ("reports from this address")."""

    bucket: str
    limit: int
    window_s: float
    what: str


def key_hash(bucket: str, key: str) -> str:
    secret = get_settings().secret_key.encode()
    return hmac.new(secret, f"{bucket}\0{key}".encode(), hashlib.sha256).hexdigest()


def _lock(session: Session, digest: str) -> None:
    """Serialise everything about one (bucket, key) until the transaction ends."""
    lock_id = int.from_bytes(bytes.fromhex(digest[:16]), "big", signed=True)
    session.execute(select(func.pg_advisory_xact_lock(lock_id)))


def _refusal(limit: Limit, oldest_expiry: datetime, now: datetime) -> TooManyRequests:
    wait = max(1, math.ceil((oldest_expiry - now).total_seconds()))
    return TooManyRequests(
        f"too many {limit.what}: try again in {wait} s",
        code="rate_limited",
        retry_after=wait,
    )


def _live(session: Session, limit: Limit, digest: str, now: datetime) -> list[datetime]:
    """Expiry times of the key's unexpired slots, oldest first (expired ones swept)."""
    session.execute(delete(RateLimitSlot).where(RateLimitSlot.expires_at <= now))
    return list(
        session.scalars(
            select(RateLimitSlot.expires_at)
            .where(RateLimitSlot.bucket == limit.bucket, RateLimitSlot.key_hash == digest)
            .order_by(RateLimitSlot.expires_at)
        )
    )


def reserve(session: Session, limit: Limit, key: str, *, now: datetime | None = None) -> int:
    """Take one slot for ``key`` and commit, or raise TooManyRequests (429, Retry-After).

    Returns the slot's id (for :func:`release`). Commits the session either way: call it
    before the request has written anything it might still want to roll back.
    """
    now = now or now_utc()
    digest = key_hash(limit.bucket, key)
    _lock(session, digest)
    live = _live(session, limit, digest, now)
    if len(live) >= limit.limit:
        session.commit()  # keep the sweep, release the lock
        raise _refusal(limit, live[0], now)
    slot = RateLimitSlot(
        bucket=limit.bucket, key_hash=digest, expires_at=now + timedelta(seconds=limit.window_s)
    )
    session.add(slot)
    session.flush()
    slot_id = slot.id
    session.commit()
    return slot_id


def check(session: Session, limit: Limit, key: str, *, now: datetime | None = None) -> None:
    """Raise TooManyRequests when ``key`` has no slot left; takes none (read only)."""
    now = now or now_utc()
    digest = key_hash(limit.bucket, key)
    live = list(
        session.scalars(
            select(RateLimitSlot.expires_at)
            .where(
                RateLimitSlot.bucket == limit.bucket,
                RateLimitSlot.key_hash == digest,
                RateLimitSlot.expires_at > now,
            )
            .order_by(RateLimitSlot.expires_at)
        )
    )
    if len(live) >= limit.limit:
        raise _refusal(limit, live[0], now)


def release(session: Session, slot_id: int) -> None:
    """Give a slot back (the attempt turned out not to count, e.g. a correct password); the
    caller commits."""
    session.execute(delete(RateLimitSlot).where(RateLimitSlot.id == slot_id))


def clear(session: Session, limit: Limit, key: str) -> None:
    """Forget every slot of ``key`` (a successful sign-in ends a run of failures); the caller
    commits."""
    digest = key_hash(limit.bucket, key)
    session.execute(
        delete(RateLimitSlot).where(
            RateLimitSlot.bucket == limit.bucket, RateLimitSlot.key_hash == digest
        )
    )


def login_limits() -> tuple[Limit, Limit]:
    """Failed sign-ins per address and per username (unknown usernames alike, so answers do
    not tell which names exist); slots in the database, shared by every worker."""
    s = get_settings()
    return (
        Limit(
            "login_ip",
            s.login_ip_max_failures,
            s.login_ip_window_minutes * 60,
            "failed sign-ins from this address",
        ),
        Limit(
            "login_name",
            s.login_max_failures,
            s.login_lockout_minutes * 60,
            "failed sign-ins for this username",
        ),
    )


def login_name(username: str) -> str:
    """The key of the per-username limit."""
    return username.strip().lower()[:64]


def forget_login_failures(session: Session, username: str) -> None:
    """Clear the per-username window of ``username`` (an office unlock or password reset
    lifts it with the account lock); the caller commits."""
    clear(session, login_limits()[1], login_name(username))


def client_ip(request: Request) -> str:
    """The caller's address: the peer, or behind a proxy of ``RIVERCHIEF_TRUSTED_PROXIES``
    the address it forwarded for (``service.security.clients`` rewrites the scope)."""
    return request.client.host if request.client else "unknown"
