"""Where events come from: hooks declared in ``service/domains.py`` for what other domains
emit, run in the emitting transaction (so a notification is queued exactly when the change
that caused it commits, and never without it).

- ``workflow.transition`` (every history row of the workflow engine): a problem assigned;
  a public report accepted, merged or rejected; a problem closed that reports follow.
- ``public.reply``: the office replied to a public report.
- ``todo.remind`` (``riverchief remind``, daily): overdue problems, items coming due,
  chiefs behind on patrols, each account's digest (``service.notifications.scans``).
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from service.notifications import events, scans
from service.problems.models import Problem
from service.public.models import PublicReply, PublicReport
from service.workflow import WorkflowEvent

CLOSING = {"close": "已办结", "close_not_fixed": "已关闭（未整改）"}


class Transitioned(Protocol):
    entity: Any
    event: WorkflowEvent


class Replied(Protocol):
    report: PublicReport
    reply: PublicReply


class Reminded(Protocol):
    today: Any
    days: int


def on_transition(session: Session, change: Transitioned) -> list[int]:
    """A workflow history row was written: queue what it means for people."""
    entity, event = change.entity, change.event
    if event.entity_type == "problem":
        if event.action == "assign":
            return events.problem_assigned(session, entity, event)
        if event.action in CLOSING:
            made: list[int] = []
            for report in _following(session, entity.id):
                made += events.public_report_closed(
                    session, report, CLOSING[event.action], f"problem-event-{event.id}"
                )
            return made
    if event.entity_type == "public_report":
        if event.action in ("accept", "merge"):
            return events.public_report_accepted(session, entity)
        if event.action == "reject":
            return events.public_report_closed(session, entity, "未采纳", "rejected")
    return []


def _following(session: Session, problem_id: int) -> list[PublicReport]:
    """Reports whose public status follows this problem: linked to it, or to a problem
    marked a duplicate of it."""
    duplicates = select(Problem.id).where(Problem.duplicate_of == problem_id)
    return list(
        session.scalars(
            select(PublicReport)
            .where(
                or_(PublicReport.problem_id == problem_id, PublicReport.problem_id.in_(duplicates))
            )
            .order_by(PublicReport.id)
        )
    )


def on_public_reply(session: Session, change: Replied) -> list[int]:
    return events.public_report_replied(session, change.report, change.reply)


def after_remind(session: Session, change: Reminded) -> scans.ScanReport:
    return scans.after_remind(session, change.today, change.days)
