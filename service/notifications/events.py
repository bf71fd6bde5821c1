"""The events worth telling someone about, each turned into outbox rows in the caller's
transaction (so an event is queued exactly when the change that caused it commits).

Each event has a key that names it once and for all (``problem_assigned:12:3`` is the
assignment in history row 3 of problem 12): producing it again inserts nothing.

- ``problem_assigned``: to the accounts of the county or unit, and the office's groups;
- ``public_report_accepted`` / ``_replied`` / ``_closed``: to the reporter's contact, if
  they agreed on the form, with the tracking link and an unsubscribe link;
- ``section_below_target``: a monitoring section worse than its target (issue 20), from the
  event ``water_quality.section_exceeded`` (``hooks.on_section_exceeded``).

Time-driven events (overdue, coming due, patrols behind, the daily digest) are in
``service.notifications.scans``. Synthetic (demo) records never notify anyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.areas.models import AdminArea
from service.auth.models import UserAccount
from service.notifications.channels.config import load_setups
from service.notifications.messages import EventType, Message, message
from service.notifications.targets import (
    account_targets,
    citizen_targets,
    enqueue,
    group_targets,
)
from service.notifications.unsubscribe import unsubscribe_link
from service.officials.models import LiaisonUnit
from service.problems.models import CATEGORIES, Problem
from service.public.models import PublicReply, PublicReport
from service.rivers.models import River
from service.workflow import WorkflowEvent


def accounts(
    session: Session,
    *,
    county: str | None = None,
    unit: int | None = None,
    official: int | None = None,
    role: str | None = None,
) -> list[UserAccount]:
    """Active accounts bound to a county, a liaison unit or an official (or of a role)."""
    q = select(UserAccount).where(UserAccount.disabled.is_(False))
    if county is not None:
        q = q.where(UserAccount.role == "county", UserAccount.county_code == county)
    elif unit is not None:
        q = q.where(UserAccount.liaison_unit_id == unit)
    elif official is not None:
        q = q.where(UserAccount.official_id == official)
    elif role is not None:
        q = q.where(UserAccount.role == role)
    else:
        return []
    return list(session.scalars(q.order_by(UserAccount.id)))


def staff_event(session: Session, key: str, msg: Message, users: list[UserAccount]) -> list[int]:
    """Queue a staff event for the office's groups and for ``users`` (by preferences)."""
    setups = load_setups(session)
    targets = group_targets(setups, msg.event_type) + account_targets(session, users, setups)
    return enqueue(session, key, msg, targets)


def assignee_name(session: Session, county: str | None, unit: int | None) -> str:
    if county:
        return session.scalar(select(AdminArea.name).where(AdminArea.code == county)) or county
    if unit:
        return session.scalar(select(LiaisonUnit.name).where(LiaisonUnit.id == unit)) or str(unit)
    return "—"


def _snippet(text: str, n: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= n else flat[: n - 1] + "…"


def problem_lines(session: Session, p: Problem) -> list[str]:
    river = session.scalar(select(River.name).where(River.id == p.river_id)) if p.river_id else None
    county = assignee_name(session, p.county_code, None)
    return [
        f"类别：{CATEGORIES.get(p.category, p.category)}",
        f"位置：{county}{' · ' + river if river else '（未关联河流）'}",
        f"描述：{_snippet(p.description)}",
    ]


def problem_assigned(session: Session, problem: Problem, event: WorkflowEvent) -> list[int]:
    """交办: the county or unit the problem was assigned to, and the groups."""
    if problem.is_synthetic:
        return []
    who = assignee_name(session, problem.assignee_county, problem.assignee_unit_id)
    due = problem.due_date.isoformat() if problem.due_date else "—"
    title = f"问题 #{problem.id} 已交办{who}，办理期限 {due}"
    lines = [*problem_lines(session, problem), f"责任单位：{who}", f"办理期限：{due}"]
    if event.note:
        lines.append(f"交办意见：{_snippet(event.note)}")
    msg = message(
        "problem_assigned",
        title,
        lines,
        f"/#problem-{problem.id}",
        sms={"id": f"#{problem.id}", "name": who, "due": due},
        data={"problem_id": problem.id, "due_date": due, "assignee": who},
    )
    users = accounts(session, county=problem.assignee_county) if problem.assignee_county else []
    if problem.assignee_unit_id is not None:
        users += accounts(session, unit=problem.assignee_unit_id)
    return staff_event(session, f"problem_assigned:{problem.id}:{event.seq}", msg, users)


# ---- citizens ---------------------------------------------------------------------------


def _citizen(
    session: Session,
    report: PublicReport,
    event_type: EventType,
    key: str,
    title: str,
    lines: list[str],
) -> list[int]:
    setups = load_setups(session)
    targets = citizen_targets(session, report, setups)
    if not targets:
        return []
    msg = message(
        event_type,
        title,
        [*lines, f"查询码：{report.code}"],
        f"/report#track={report.code}",
        sms={"code": report.code},
        data={"code": report.code},
        unsubscribe=unsubscribe_link(report.id),
    )
    return enqueue(session, key, msg, targets)


def public_report_accepted(session: Session, report: PublicReport) -> list[int]:
    """受理 (accepted, or merged into a problem already known)."""
    return _citizen(
        session,
        report,
        "public_report_accepted",
        f"public_report_accepted:{report.id}",
        f"您的举报 {report.code} 已受理",
        ["感谢您的监督，河长办已受理您反映的问题并将交办处理。"],
    )


def public_report_replied(session: Session, report: PublicReport, reply: PublicReply) -> list[int]:
    return _citizen(
        session,
        report,
        "public_report_replied",
        f"public_report_replied:{reply.id}",
        f"河长办回复了您的举报 {report.code}",
        [f"回复：{_snippet(reply.body, 300)}"],
    )


def public_report_closed(
    session: Session, report: PublicReport, outcome: str, occasion: str
) -> list[int]:
    """办结 (the problem closed, fixed or not) or 未采纳 (rejected, with the reason);
    ``occasion`` tells one closing from the next (a problem reopened and closed again)."""
    return _citizen(
        session,
        report,
        "public_report_closed",
        f"public_report_closed:{report.id}:{occasion}",
        f"您的举报 {report.code}：{outcome}",
        [f"办理结果：{outcome}"]
        + ([f"原因：{report.reject_reason}"] if report.reject_reason else []),
    )


def reports_of_problem(session: Session, problem_id: int) -> list[PublicReport]:
    return list(
        session.scalars(
            select(PublicReport)
            .where(PublicReport.problem_id == problem_id)
            .order_by(PublicReport.id)
        )
    )


# ---- water quality (issue 20) ------------------------------------------------------------


@dataclass(frozen=True)
class SectionBreach:
    """A monitoring section worse than its target in one period (filled by issue 20).

    ``period`` names the reading's period (``2026-11``); the event is sent once per section
    and period. ``river_id`` selects the liaison unit's and the chief's accounts."""

    section_id: int
    section_name: str
    period: str
    measured_class: str
    target_class: str
    river_id: int | None
    sampled_on: date
    parameters: tuple[str, ...] = ()


def section_below_target(
    session: Session, breach: SectionBreach, users: list[UserAccount]
) -> list[int]:
    """断面水质未达标: the office's groups and ``users`` (the caller knows who is responsible)."""
    title = (
        f"断面 {breach.section_name} {breach.period} 水质 {breach.measured_class} 类，"
        f"未达到 {breach.target_class} 类目标"
    )
    lines = [f"采样日期：{breach.sampled_on.isoformat()}"]
    if breach.parameters:
        lines.append("超标指标：" + "、".join(breach.parameters))
    msg = message(
        "section_below_target",
        title,
        lines,
        f"/#section-{breach.section_id}",
        sms={"name": breach.section_name, "class": breach.measured_class},
        data={"section_id": breach.section_id, "period": breach.period},
    )
    key = f"section_below_target:{breach.section_id}:{breach.period}"
    return staff_event(session, key, msg, users)
