"""riverchief remind: reminders recorded once a day, shown in the to-do, and each account's
daily digest queued in the notifications outbox, which POSTs it to the generic webhook (a
tiny HTTP server on 127.0.0.1 started here) and retries a failed delivery."""

from __future__ import annotations

import contextvars
import json
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from service.settings import get_settings
from service.timeutil import today_local
from service.todo.models import Reminder
from service.todo.remind import remind

Headers = Callable[[str], dict[str, str]]
BESIDE_DADU = (103.6262, 29.3396)


class Hook:
    """A webhook receiver: records each JSON body; answers ``status``."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.status = 200
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                hook.bodies.append(json.loads(self.rfile.read(length)))
                self.send_response(hook.status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def invoke(app: Any, args: list[str]) -> Any:
    """Run a command in a copy of this context: the CLI names its audit actor in a context
    variable, which must not leak into later tests of this process."""
    return contextvars.copy_context().run(CliRunner().invoke, app, args)


@pytest.fixture
def hook(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Hook]:
    """The generic webhook as the only channel (the others off, whatever the environment)."""
    h = Hook()
    s = get_settings()
    monkeypatch.setattr(s, "reminder_webhook_url", h.url)
    for name in ("dingtalk_webhook_url", "wecom_webhook_url", "smtp_url", "sms_provider"):
        monkeypatch.setattr(s, name, "")
    yield h
    h.close()


def _problem(client: TestClient, headers: Headers, due_in_days: int) -> int:
    made = client.post(
        "/api/v1/problems",
        headers=headers("patrol"),
        json={
            "lon": BESIDE_DADU[0],
            "lat": BESIDE_DADU[1],
            "category": "garbage",
            "description": "垃圾",
            "observed_at": datetime.now(UTC).isoformat(),
        },
    )
    assert made.status_code == 201, made.text
    pid = int(made.json()["id"])
    due = today_local() + timedelta(days=due_in_days)
    r = client.post(
        f"/api/v1/problems/{pid}/transitions",
        headers=headers("office"),
        json={"action": "assign", "assignee_county": "511111", "due_date": due.isoformat()},
    )
    assert r.status_code == 200, r.text
    return pid


def _send(db: Session) -> Any:
    """The outbox worker over the test's session (riverchief notify run --once)."""
    from contextlib import nullcontext

    from service.notifications.worker import run_once

    return run_once(lambda: nullcontext(db))


def test_remind_records_once_a_day_shows_in_todo_and_the_digest_reaches_the_webhook(
    client: TestClient, auth_headers: Headers, db: Session, hook: Hook
) -> None:
    today = today_local()
    soon = _problem(client, auth_headers, 2)
    later = _problem(client, auth_headers, 10)
    result = remind(db, days=3, today=today)
    assert result.recorded > 0 and result.queued > 0
    keys = set(db.scalars(select(Reminder.item_key).where(Reminder.remind_on == today)))
    assert f"problem:{soon}:problem_assigned" in keys
    assert f"problem:{later}:problem_assigned" not in keys  # due in 10 days > 3
    assert hook.bodies == []  # remind only queues; the outbox worker sends
    _send(db)
    # One POST per account's daily digest, the reminders in their old shape (besides the
    # immediate notifications of the two assignments).
    county = [
        b
        for b in hook.bodies
        if b["notification"]["username"] == "county"
        and b["notification"]["event_type"] == "daily_digest"
    ]
    assert len(county) == 1
    sent = county[0]["reminders"]
    mine = next(r for r in sent if r["title"].startswith(f"整改问题 #{soon}"))
    assert (
        mine["username"] == "county" and mine["due_date"] == (today + timedelta(days=2)).isoformat()
    )
    assert mine["link"] == f"/#problem-{soon}" and mine["overdue"] is False
    posts = len(hook.bodies)
    # A second run the same day records and sends nothing new.
    again = remind(db, days=3, today=today)
    _send(db)
    assert (again.recorded, again.queued) == (0, 0) and len(hook.bodies) == posts
    todo = client.get("/api/v1/me/todo", headers=auth_headers("county")).json()
    shown = next(
        r for r in todo["reminders"] if r["item_key"] == f"problem:{soon}:problem_assigned"
    )
    assert shown["sent"] is True and shown["remind_on"] == today.isoformat()
    item = next(i for i in todo["items"] if i["key"] == f"problem:{soon}:problem_assigned")
    assert item["reminded"] is True


def test_failed_delivery_is_retried_by_the_outbox(
    client: TestClient, auth_headers: Headers, db: Session, hook: Hook
) -> None:
    today = today_local()
    _problem(client, auth_headers, 0)
    hook.status = 500
    first = remind(db, days=1, today=today)
    assert first.recorded > 0 and first.queued > 0
    assert _send(db).retried > 0
    unsent = db.scalars(select(Reminder).where(Reminder.sent_at.is_(None))).all()
    assert len(unsent) == first.recorded
    hook.status = 204
    from service.notifications.models import OutboxRow

    for row in db.scalars(select(OutboxRow).where(OutboxRow.state == "pending")):
        row.next_attempt_at = row.created_at  # the back-off has passed
    assert _send(db).sent > 0
    assert db.scalars(select(Reminder).where(Reminder.sent_at.is_(None))).all() == []
    digests = [b for b in hook.bodies if b["notification"]["event_type"] == "daily_digest"]
    assert sum(len(b["reminders"]) for b in digests) == 2 * first.recorded  # failed, then sent


def test_cli_remind_queues_and_notify_run_sends(engine: Any, hook: Hook) -> None:
    """The commands commit (cron jobs), so the test cleans up its own rows afterwards."""
    from service.cli import app
    from service.notifications.models import OutboxRow

    try:
        out = invoke(app, ["remind", "--days", "400"])
        # Every municipal chief still owes patrols due by 31 December: within 400 days.
        recorded = int(out.output.split("reminders recorded: ")[1].split(",")[0])
        queued = int(out.output.split("notifications queued: ")[1].split()[0])
        assert recorded > 0 and queued > 0 and out.exit_code == 0, out.output
        assert hook.bodies == []
        sent = invoke(app, ["notify", "run", "--once"])
        assert sent.exit_code == 0, sent.output
        assert f"sent: {queued}," in sent.output
        digests = [b for b in hook.bodies if b["notification"]["event_type"] == "daily_digest"]
        assert sum(len(b["reminders"]) for b in digests) == recorded
    finally:
        with Session(engine) as s:
            s.execute(delete(OutboxRow))
            s.execute(delete(Reminder))
            s.commit()
