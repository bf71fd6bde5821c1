"""The outbox and its worker with committed data and the real command: ``riverchief notify
run --once`` after an assignment made through the API; two workers at once never send a row
twice (FOR UPDATE SKIP LOCKED); an answer lost after sending is failed, not repeated."""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from service.auth.models import UserAccount
from service.db import get_sessionmaker
from service.notifications.messages import message
from service.notifications.models import OutboxRow
from service.notifications.targets import Target, enqueue
from service.notifications.worker import run_once
from service.problems.models import Problem
from service.settings import Settings, get_settings
from service.timeutil import now_utc
from service.workflow import WorkflowEvent
from tests.notifications.conftest import assign, new_problem
from tests.notifications.servers import DingTalkRobot
from tests.support import free_port


def invoke(app: Any, args: list[str]) -> Any:
    """Run a command in a copy of this context: the CLI names its audit actor in a context
    variable, which must not leak into later tests of this process."""
    return contextvars.copy_context().run(CliRunner().invoke, app, args)


@pytest.fixture
def committed_client(database_url: str, engine: Engine) -> Iterator[TestClient]:
    """The app on real sessions (every request commits), and the rows it made removed."""
    from service.main import create_app

    with Session(engine) as s:
        before = s.scalar(select(Problem.id).order_by(Problem.id.desc()).limit(1)) or 0
    with TestClient(create_app()) as client:
        yield client
    with Session(engine) as s:
        made = select(Problem.id).where(Problem.id > before)
        s.execute(delete(OutboxRow).where(OutboxRow.event_key.like("problem_assigned:%")))
        s.execute(
            delete(WorkflowEvent).where(
                WorkflowEvent.entity_type == "problem", WorkflowEvent.entity_id.in_(made)
            )
        )
        s.execute(delete(Problem).where(Problem.id > before))
        s.commit()


def headers_for(engine: Engine) -> Any:
    from service.auth.tokens import issue_token

    def headers(username: str) -> dict[str, str]:
        with Session(engine) as s:
            user = s.scalar(select(UserAccount).where(UserAccount.username == username))
            assert user is not None
            return {"Authorization": f"Bearer {issue_token(user.id, user.token_version)}"}

    return headers


def test_cli_assign_then_notify_run_once_delivers_exactly_one_signed_message(
    committed_client: TestClient, engine: Engine, dingtalk: DingTalkRobot
) -> None:
    from service.cli import app

    headers = headers_for(engine)
    dingtalk.http.stop()  # the robot is down when the problem is assigned
    pid = new_problem(committed_client, headers)
    due = assign(committed_client, headers, pid)
    down = invoke(app, ["notify", "run", "--once"])
    assert down.exit_code == 0, down.output
    assert "sent: 0, retry later: 1" in down.output
    with Session(engine) as s:
        (row,) = s.scalars(
            select(OutboxRow).where(OutboxRow.event_key.like(f"problem_assigned:{pid}:%"))
        ).all()
        assert row.state == "pending" and "unreachable" in (row.last_error or "")
    dingtalk.http.start()
    back = invoke(app, ["notify", "run", "--once"])
    assert back.exit_code == 0 and "sent: 1," in back.output, back.output
    again = invoke(app, ["notify", "run", "--once"])
    assert "sent: 0," in again.output
    assert dingtalk.refused == [] and len(dingtalk.messages) == 1
    text = dingtalk.messages[0]["markdown"]["text"]
    assert f"问题 #{pid}" in text and f"办理期限：{due}" in text


class CountingHook:
    """A webhook receiver that counts deliveries per Idempotency-Key, slowly (so two
    workers overlap), or never answers (``hang``)."""

    def __init__(self, delay: float = 0.02) -> None:
        self.keys: list[str] = []
        self.delay, self.hang = delay, False
        self._lock = threading.Lock()
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with hook._lock:
                    hook.keys.append(self.headers["Idempotency-Key"])
                time.sleep(5 if hook.hang else hook.delay)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/relay"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _queue(s: Session, n: int, tag: str) -> list[int]:
    office = s.scalar(select(UserAccount).where(UserAccount.username == "office"))
    assert office is not None
    ids: list[int] = []
    for i in range(n):
        msg = message("problem_overdue", f"测试 {i}", ["行"], "/", data={"role": "office"})
        target = Target(f"user:{office.id}", "webhook", "office", now_utc(), user_id=office.id)
        ids += enqueue(s, f"test:{tag}:{i}", msg, [target])
    return ids


def test_two_workers_at_once_send_every_row_exactly_once(
    notify_settings: Settings, monkeypatch: pytest.MonkeyPatch, engine: Engine
) -> None:
    hook = CountingHook()
    monkeypatch.setattr(get_settings(), "reminder_webhook_url", hook.url)
    try:
        with Session(engine) as s:
            ids = _queue(s, 24, "race")
            s.commit()
        reports: list[Any] = []

        def work() -> None:
            reports.append(run_once(get_sessionmaker()))

        threads = [threading.Thread(target=work) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert sorted(hook.keys) == sorted(f"outbox-{i}" for i in ids)  # each once
        assert sum(r.sent for r in reports) == 24 and all(r.sent > 0 for r in reports)
    finally:
        hook.close()
        with Session(engine) as s:
            s.execute(delete(OutboxRow).where(OutboxRow.event_key.like("test:race:%")))
            s.commit()


def test_an_answer_lost_after_sending_is_failed_not_sent_again(
    notify_settings: Settings, monkeypatch: pytest.MonkeyPatch, db: Session
) -> None:
    from contextlib import nullcontext

    hook = CountingHook()
    hook.hang = True
    monkeypatch.setattr(get_settings(), "reminder_webhook_url", hook.url)
    monkeypatch.setattr(get_settings(), "notify_timeout_s", 0.5)
    try:
        (rid,) = _queue(db, 1, "lost")
        report = run_once(lambda: nullcontext(db))
        row = db.get(OutboxRow, rid)
        assert row is not None and report.failed == 1 and row.state == "failed"
        assert "may have been delivered" in (row.last_error or "")
        run_once(lambda: nullcontext(db))
        assert hook.keys == [f"outbox-{rid}"]  # one request, never repeated
    finally:
        hook.close()


def test_a_row_for_an_account_disabled_since_is_cancelled_not_sent(
    notify_settings: Settings, monkeypatch: pytest.MonkeyPatch, db: Session
) -> None:
    from contextlib import nullcontext

    hook = CountingHook()
    monkeypatch.setattr(get_settings(), "reminder_webhook_url", hook.url)
    try:
        (rid,) = _queue(db, 1, "disabled")
        office = db.scalar(select(UserAccount).where(UserAccount.username == "office"))
        assert office is not None
        office.disabled = True
        db.flush()
        report = run_once(lambda: nullcontext(db))
        row = db.get(OutboxRow, rid)
        assert row is not None and (row.state, report.cancelled) == ("cancelled", 1)
        assert hook.keys == []
    finally:
        hook.close()
