"""What the water-quality exceedances put in the to-do (我的待办).

A 水质异常 problem a section opened waits to be assigned (交办): the office sees it, and so
does the liaison unit of its river (which may assign it too). Once assigned it is the
county's or unit's like any problem (``service.todo.items``), marked 【督办】 when supervised.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import Session

from service.auth.scope import Scope
from service.problems.models import Problem
from service.timeutil import local_date
from service.water_quality.models import Section, SectionExceedance
from service.water_quality.standard import CLASS_NUMERALS

#: States in which a problem waits for 交办.
TO_ASSIGN = ("reported", "reopened")


@dataclass(frozen=True)
class ExceedanceTodo:
    key: str
    title: str
    due_date: date
    link: str


def exceedance_todo(session: Session, user: Scope) -> list[ExceedanceTodo]:
    """Exceedance problems to assign, for the office (all) and a liaison unit (its rivers)."""
    cond: ColumnElement[bool]
    if user.role == "office":
        cond = true()
    elif user.role == "liaison" and user.liaison_unit_id is not None:
        cond = Problem.liaison_unit_id == user.liaison_unit_id
    else:
        return []
    latest = (
        select(
            SectionExceedance.problem_id,
            SectionExceedance.section_id,
            func.max(SectionExceedance.month).label("month"),
        )
        .group_by(SectionExceedance.problem_id, SectionExceedance.section_id)
        .subquery()
    )
    rows = session.execute(
        select(Problem, Section, latest.c.month)
        .join(latest, latest.c.problem_id == Problem.id)
        .join(Section, Section.id == latest.c.section_id)
        .where(cond, Problem.state.in_(TO_ASSIGN))
        .order_by(Problem.id)
    ).all()
    out = []
    for p, s, month in rows:
        mark = "【督办】" if p.supervised_at is not None else ""
        out.append(
            ExceedanceTodo(
                key=f"problem:{p.id}:water_quality",
                title=f"{mark}水质异常待交办：{s.name}断面 {month:%Y-%m} 劣于目标"
                f"{CLASS_NUMERALS[s.target_class]}类（问题 #{p.id}）",
                due_date=p.due_date or local_date(p.reported_at),
                link=f"/#problem-{p.id}",
            )
        )
    return out
