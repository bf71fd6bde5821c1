"""Events come from explicit calls and hooks declared in service/domains.py: every declared
hook resolves, and the notifications hooks run whichever entry point loaded the domains
(the app, or the CLI), each checked in a fresh interpreter; an event produced twice queues
one row."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from service.domains import DOMAINS, EVENTS, compose, resolve
from service.notifications import events
from service.notifications.models import OutboxRow
from service.problems.models import Problem
from service.settings import REPO_ROOT
from service.todo.models import Reminder
from service.workflow import WorkflowEvent
from tests.notifications.conftest import Headers, assign, new_problem
from tests.notifications.servers import DingTalkRobot


def test_every_event_hook_is_declared_for_a_known_event_and_resolves() -> None:
    declared = {(e, ref) for d in DOMAINS for e, refs in d.on_events.items() for ref in refs}
    assert {e for e, _ in declared} <= EVENTS
    for _event, ref in declared:
        assert callable(resolve(ref)), ref
    hooks = compose().event_hooks
    for name in EVENTS:
        assert "notifications:service.notifications.hooks:" in " ".join(n for n, _ in hooks[name])
    with pytest.raises(KeyError):
        compose().emit(None, "nobody.emits.this", None)  # type: ignore[arg-type]


def test_an_event_produced_twice_queues_one_row(
    client: TestClient,
    auth_headers: Headers,
    db: Session,
    dingtalk: DingTalkRobot,
    run: Callable[..., Any],
) -> None:
    pid = new_problem(client, auth_headers)
    assign(client, auth_headers, pid)
    problem = db.get(Problem, pid)
    event = db.scalar(
        select(WorkflowEvent).where(
            WorkflowEvent.entity_type == "problem",
            WorkflowEvent.entity_id == pid,
            WorkflowEvent.action == "assign",
        )
    )
    assert problem is not None and event is not None
    assert events.problem_assigned(db, problem, event) == []  # already queued by the hook
    rows = db.scalars(
        select(OutboxRow).where(OutboxRow.event_key.like(f"problem_assigned:{pid}:%"))
    )
    assert [r.channel for r in rows] == ["dingtalk"]


#: A fresh interpreter: wrap the declared event hooks in a recorder, then load one entry
#: point and make it emit: the app (a problem assigned through the API, rolled back) or the
#: CLI (`riverchief remind`).
PROBE = r"""
import json, sys
from service import domains

ran = []
original = domains.resolve
declared = {ref for d in domains.DOMAINS for refs in d.on_events.values() for ref in refs}
def resolve(ref):
    found = original(ref)
    if ref not in declared:
        return found
    def record(session, event):
        ran.append(ref)
        return found(session, event)
    return record
domains.resolve = resolve

if sys.argv[1] == "cli":
    from typer.testing import CliRunner
    from service.cli import app
    result = CliRunner().invoke(app, ["remind", "--days", "0"])
    assert result.exit_code == 0, result.output
else:
    from datetime import date
    from sqlalchemy import select
    from service.main import create_app
    from service.db import get_sessionmaker
    from service.auth.models import UserAccount
    from service.problems.models import Problem
    from service.problems.service import transition
    from service.problems.schemas import ProblemTransitionIn
    create_app()
    with get_sessionmaker()() as session:
        office = session.scalar(select(UserAccount).where(UserAccount.username == "office"))
        problem = session.get(Problem, int(sys.argv[2]))
        body = ProblemTransitionIn(action="assign", assignee_county="511111")
        transition(session, problem, body, office)
        session.rollback()
print(json.dumps(sorted(set(ran))))
"""


@pytest.mark.parametrize("entry", ["app", "cli"])
def test_the_hooks_run_from_every_entry_point(
    entry: str, database_url: str, engine: Engine
) -> None:
    from service.auth.models import UserAccount

    pid = 0
    if entry == "app":
        from service.problems.schemas import ProblemIn
        from service.problems.service import report_problem

        with Session(engine) as s:
            patrol = s.scalar(select(UserAccount).where(UserAccount.username == "patrol"))
            body = ProblemIn.model_validate(
                {
                    "lon": 103.6262,
                    "lat": 29.3396,
                    "category": "garbage",
                    "description": "probe",
                    "observed_at": "2026-01-01T10:00:00+08:00",
                }
            )
            pid = report_problem(s, body, patrol).id
            s.commit()
    env = dict(os.environ, DATABASE_URL=database_url, RIVERCHIEF_ENV="development")
    try:
        done = subprocess.run(
            [sys.executable, "-c", PROBE, entry, str(pid)],
            env=env,
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        ran = json.loads(done.stdout.strip().splitlines()[-1])
        expected = {
            "app": ["service.notifications.hooks:on_transition"],
            "cli": ["service.notifications.hooks:after_remind"],
        }[entry]
        assert ran == expected
    finally:
        with Session(engine) as s:
            if pid:
                s.execute(
                    delete(WorkflowEvent).where(
                        WorkflowEvent.entity_type == "problem", WorkflowEvent.entity_id == pid
                    )
                )
                s.execute(delete(Problem).where(Problem.id == pid))
            s.execute(delete(OutboxRow))
            s.execute(delete(Reminder))
            s.commit()
