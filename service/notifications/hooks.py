"""Where events come from: hooks declared in ``service/domains.py`` for what other domains
emit, run in the emitting transaction (so a notification is queued exactly when the change
that caused it commits, and never without it).

- ``workflow.transition`` (every history row of the workflow engine): a problem assigned;
  a public report accepted, merged or rejected; a problem closed that reports follow.
- ``public.reply``: the office replied to a public report.
- ``todo.remind`` (``riverchief remind``, daily): overdue problems, items coming due,
  chiefs behind on patrols, each account's digest (``service.notifications.scans``).
- ``water_quality.section_exceeded``: a monitoring section worse than its target in a month
  (断面水质未达标): the county the problem went to, the river's liaison unit and chief.
"""

from __future__ import annotations

from datetime import date
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


class SectionExceeded(Protocol):
    """``service.water_quality.schemas.SectionExceeded`` (the fields read here)."""

    section_id: int
    section_name: str
    month: date
    water_class: int
    target_class: int
    worst_parameters: tuple[str, ...]
    problem_id: int | None
    county_code: str | None
    sampled_on: date
    is_synthetic: bool


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


#: GB 3838 class numerals (1-6, 6 = 劣V) as the message names them.
CLASS_NUMERALS = {1: "Ⅰ", 2: "Ⅱ", 3: "Ⅲ", 4: "Ⅳ", 5: "Ⅴ", 6: "劣Ⅴ"}


def on_section_exceeded(session: Session, change: SectionExceeded) -> list[int]:
    """断面水质未达标: the office's groups and the accounts of the county the problem was
    routed to, of the river's liaison unit and of its chief (demo data never notifies)."""
    if change.is_synthetic:
        return []
    problem = session.get(Problem, change.problem_id) if change.problem_id else None
    users = events.accounts(session, county=change.county_code) if change.county_code else []
    if problem is not None and problem.liaison_unit_id is not None:
        users += events.accounts(session, unit=problem.liaison_unit_id)
    if problem is not None and problem.chief_official_id is not None:
        users += events.accounts(session, official=problem.chief_official_id)
    breach = events.SectionBreach(
        section_id=change.section_id,
        section_name=change.section_name,
        period=f"{change.month:%Y-%m}",
        measured_class=CLASS_NUMERALS[change.water_class],
        target_class=CLASS_NUMERALS[change.target_class],
        river_id=problem.river_id if problem is not None else None,
        sampled_on=change.sampled_on,
        parameters=change.worst_parameters,
    )
    unique = list({u.id: u for u in users}.values())
    return events.section_below_target(session, breach, unique)
