"""Proof-of-work challenge for anonymous report submission (no third-party CAPTCHA).

The server hands out a random ``nonce`` and a ``difficulty`` k; the client searches for a
decimal ``counter`` such that ``sha256((nonce + counter).encode())`` starts with k zero bits
(~2**k hashes: a second on a phone, a real cost for a bulk sender). The server consumes the
challenge, then verifies with one hash: single use whatever the outcome, expiring after
``pow_ttl_seconds``.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from service.errors import InvalidInput
from service.public.models import PowChallenge
from service.settings import get_settings
from service.timeutil import now_utc

#: Counters longer than this are refused before hashing (no work on garbage).
MAX_COUNTER_DIGITS = 20


def leading_zero_bits(digest: bytes) -> int:
    """Number of leading zero bits of ``digest``."""
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        return bits + (8 - byte.bit_length())
    return bits


def solves(nonce: str, counter: str, difficulty: int) -> bool:
    """True if ``sha256(nonce + counter)`` has at least ``difficulty`` leading zero bits."""
    digest = hashlib.sha256((nonce + counter).encode()).digest()
    return leading_zero_bits(digest) >= difficulty


def solve(nonce: str, difficulty: int) -> str:
    """The first counter that solves the challenge (what a client does; used by tests/tools)."""
    counter = 0
    while not solves(nonce, str(counter), difficulty):
        counter += 1
    return str(counter)


def issue(session: Session, now: datetime | None = None) -> PowChallenge:
    """A new challenge; expired ones are swept on the way so the table stays small."""
    settings = get_settings()
    now = now or now_utc()
    session.execute(delete(PowChallenge).where(PowChallenge.expires_at < now))
    challenge = PowChallenge(
        nonce=secrets.token_hex(16),
        difficulty=settings.pow_difficulty,
        expires_at=now + timedelta(seconds=settings.pow_ttl_seconds),
    )
    session.add(challenge)
    session.flush()
    return challenge


def consume(session: Session, nonce: str, counter: str, now: datetime | None = None) -> None:
    """Use up a challenge, then verify it; raise InvalidInput saying what is wrong.

    Used up *first* and committed by the caller whatever happens next (issue 14): every
    submission that names a known challenge spends it, solved or not, accepted or refused,
    so one solved challenge cannot be replayed against a check that fails later, and the
    server never verifies a second counter for the same nonce. The UPDATE ... WHERE used_at
    IS NULL makes "single use" hold between concurrent requests: only one gets the row back.
    """
    now = now or now_utc()
    if not nonce or not counter:
        raise InvalidInput(
            "a proof-of-work is required: GET /api/v1/public/challenge, then send "
            "challenge_nonce and challenge_counter",
            code="challenge_required",
            field="challenge_nonce",
        )
    if len(nonce) > 64:
        raise InvalidInput("unknown challenge: fetch a new one", code="challenge_unknown")
    used = session.execute(
        update(PowChallenge)
        .where(
            PowChallenge.nonce == nonce,
            PowChallenge.used_at.is_(None),
            PowChallenge.expires_at >= now,
        )
        .values(used_at=now)
        .returning(PowChallenge.difficulty)
        .execution_options(synchronize_session=False)
    ).first()
    if used is None:
        if session.get(PowChallenge, nonce) is None:
            raise InvalidInput(
                "unknown challenge: fetch a new one",
                code="challenge_unknown",
                field="challenge_nonce",
            )
        raise InvalidInput(
            "this challenge was already used or has expired: fetch a new one",
            code="challenge_used",
            field="challenge_nonce",
        )
    if len(counter) > MAX_COUNTER_DIGITS or not (counter.isascii() and counter.isdigit()):
        raise InvalidInput(
            "challenge_counter must be a decimal number",
            code="challenge_invalid",
            field="challenge_counter",
        )
    if not solves(nonce, counter, used.difficulty):
        raise InvalidInput(
            f"challenge_counter does not solve the challenge (needs {used.difficulty} "
            "leading zero bits of sha256(nonce + counter)); it is used up: fetch a new one",
            code="challenge_unsolved",
            field="challenge_counter",
        )
