"""Class 4: abuse controls that hold under concurrency, on a real server.

On the code issue 14 started from: a refused report left its challenge unused (a replay got
201); the per-address limit was checked before the work and counted after it, and never for
a failure, so ten concurrent reports all reached the work; sixteen concurrent sign-in
guesses were all evaluated and the stored failure count ended at 1; wrong current passwords
on ``POST /auth/password`` were never limited.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from service.auth import service as auth_service
from service.auth.models import UserAccount
from service.db import get_sessionmaker
from service.errors import InvalidInput
from service.public import service as public_service
from service.public.pow import solve
from service.settings import Settings
from tests.hardening.conftest import BESIDE_DADU, IN_MEISHAN, Headers
from tests.support import live_app


@pytest.fixture(scope="module")
def server(database_url: str) -> Iterator[str]:
    with live_app() as base:
        yield base


def test_a_refused_report_spends_its_challenge(
    client: TestClient, db: Session, submit_report: Callable[..., Any]
) -> None:
    ch = client.get("/api/v1/public/challenge").json()
    solved = (ch["nonce"], solve(ch["nonce"], ch["difficulty"]))
    refused = submit_report(point=IN_MEISHAN, challenge=solved)
    assert refused.status_code == 422 and refused.json()["code"] == "outside_city"
    db.rollback()  # as at the end of a real request: what it did not commit is gone
    replay = submit_report(point=BESIDE_DADU, challenge=solved)
    assert replay.status_code == 422 and replay.json()["code"] == "challenge_used", replay.text


def test_ten_concurrent_reports_take_five_slots(
    server: str,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    committed_cleanup: None,
) -> None:
    monkeypatch.setattr(settings, "public_report_limit", 5)
    reached: list[int] = []
    lock = threading.Lock()

    def slow_route(*_args: Any, **_kwargs: Any) -> Any:
        # Counts who got past the limit, then refuses: no report is stored.
        with lock:
            reached.append(1)
        time.sleep(0.3)
        raise InvalidInput("counted, not stored")

    monkeypatch.setattr(public_service, "route_point", slow_route)
    challenges = []
    for _ in range(10):
        ch = httpx.get(f"{server}/api/v1/public/challenge", timeout=30).json()
        challenges.append((ch["nonce"], solve(ch["nonce"], ch["difficulty"])))

    def post(challenge: tuple[str, str]) -> httpx.Response:
        return httpx.post(
            f"{server}/api/v1/public/reports",
            data={
                "lon": str(BESIDE_DADU[0]),
                "lat": str(BESIDE_DADU[1]),
                "category": "garbage",
                "description": "并发举报",
                "challenge_nonce": challenge[0],
                "challenge_counter": challenge[1],
            },
            timeout=60,
        )

    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(post, challenges))
    codes = sorted(a.status_code for a in answers)
    assert len(reached) == 5, codes
    assert codes == [422] * 5 + [429] * 5
    assert all(int(a.headers["Retry-After"]) > 0 for a in answers if a.status_code == 429)


@pytest.fixture
def committed_user(engine: Engine) -> Iterator[str]:
    name = "h14_concurrent_login"
    with get_sessionmaker()() as session:
        session.execute(delete(UserAccount).where(UserAccount.username == name))
        auth_service.create_user(session, name, "the-right-password", "office")
        session.commit()
    yield name
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM user_account WHERE username = :n"), {"n": name})


def test_sixteen_concurrent_guesses_are_counted_and_at_most_five_evaluated(
    server: str,
    committed_user: str,
    monkeypatch: pytest.MonkeyPatch,
    committed_cleanup: None,
) -> None:
    evaluated: list[int] = []
    lock = threading.Lock()

    def slow_wrong(password: str, password_hash: str) -> bool:
        with lock:
            evaluated.append(1)
        time.sleep(0.2)
        return False

    monkeypatch.setattr(auth_service, "verify_password", slow_wrong)

    def guess(n: int) -> int:
        r = httpx.post(
            f"{server}/api/v1/auth/token",
            data={"username": committed_user, "password": f"guess-{n}"},
            timeout=60,
        )
        return r.status_code

    with ThreadPoolExecutor(16) as pool:
        codes = sorted(pool.map(guess, range(16)))
    assert len(evaluated) <= 5, (len(evaluated), codes)
    assert set(codes) <= {401, 429} and codes.count(401) == len(evaluated)
    with get_sessionmaker()() as session:
        user = session.scalar(select(UserAccount).where(UserAccount.username == committed_user))
        assert user is not None and user.locked_until is not None  # the lockout held


def test_wrong_current_passwords_are_limited(
    client: TestClient, auth_headers: Headers, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "password_change_max_failures", 3, raising=False)
    headers = auth_headers("meishan")
    for n in range(3):
        r = client.post(
            "/api/v1/auth/password",
            json={"current_password": f"wrong-{n}", "new_password": "a-new-long-password"},
            headers=headers,
        )
        assert r.status_code == 403, r.text
    right = client.post(
        "/api/v1/auth/password",
        json={"current_password": "riverchief-demo", "new_password": "a-new-long-password"},
        headers=headers,
    )
    assert right.status_code == 429 and int(right.headers["Retry-After"]) > 0, right.text
