"""Water quality in the cross-boundary view and the joint-meeting brief.

- The 交接断面水质清单: the sections at the border with one neighbour city, upstream and
  downstream (inflow and outflow), with their class month by month over the period.
- The items for the next joint meeting: months an inflow section from that city failed its
  target since the last joint meeting with it (the water came from the neighbour; the
  problem went to the city's first reach, and the neighbour hears of it at the meeting).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.problems.models import Problem
from service.problems.workflow import STATE_LABELS
from service.rivers.models import River
from service.water_quality.aggregate import month_start
from service.water_quality.models import Section, SectionExceedance
from service.water_quality.queries import series
from service.water_quality.schemas import AgendaItem, NeighborWaterQuality, SectionSeries
from service.water_quality.standard import BY_CODE, CLASS_NUMERALS, class_label

DIRECTION_LABELS = {"inflow": "入境（上游来水）", "outflow": "出境（下游）"}


def border_sections(
    session: Session, neighbor_code: str, date_from: date, date_to: date
) -> list[SectionSeries]:
    """The 交接断面水质清单 with ``neighbor_code``: inflow sections first (upstream), then
    outflow, each with its monthly classes over the period and the period's class."""
    rows = series(session, date_from, date_to, neighbor_code=neighbor_code)
    order = {"inflow": 0, "outflow": 1}
    return sorted(rows, key=lambda r: (order.get(r.direction or "", 2), r.river_id, r.id))


def agenda_items(session: Session, neighbor_code: str, since: date | None) -> list[AgendaItem]:
    """Exceedances at inflow sections from ``neighbor_code`` in months after ``since`` (the
    last joint meeting with it; all when there was none), oldest first, each with the problem
    it opened or supervised and that problem's state."""
    stmt = (
        select(SectionExceedance, Section, River.name, Problem.state)
        .join(Section, Section.id == SectionExceedance.section_id)
        .join(River, River.id == Section.river_id)
        .outerjoin(Problem, Problem.id == SectionExceedance.problem_id)
        .where(Section.neighbor_code == neighbor_code, Section.direction == "inflow")
        .order_by(SectionExceedance.month, Section.id)
    )
    if since is not None:
        stmt = stmt.where(SectionExceedance.month >= month_start(since))
    out = []
    for e, s, river_name, state in session.execute(stmt):
        worst = "、".join(BY_CODE[c].name for c in e.worst_parameters if c in BY_CODE)
        out.append(
            AgendaItem(
                section_id=s.id,
                section_code=s.code,
                section_name=s.name,
                river_id=s.river_id,
                river_name=river_name,
                month=e.month,
                water_class=e.water_class,
                label=class_label(e.water_class) or "",
                target_class=e.target_class,
                worst_parameters=list(e.worst_parameters),
                title=f"{river_name}{s.name}断面 {e.month:%Y年%m月} 入境水质"
                f"{CLASS_NUMERALS[e.water_class]}类，劣于目标{CLASS_NUMERALS[e.target_class]}类"
                + (f"（{worst}）" if worst else ""),
                problem_id=e.problem_id,
                problem_state=state,
                problem_state_label=STATE_LABELS.get(state or "", None),
                repeat=e.repeat,
            )
        )
    return out


def neighbor_water_quality(
    session: Session,
    neighbor_code: str,
    date_from: date,
    date_to: date,
    last_joint_meeting: date | None,
) -> NeighborWaterQuality:
    """What the neighbour view and the brief show of water quality."""
    return NeighborWaterQuality(
        border_sections=border_sections(session, neighbor_code, date_from, date_to),
        agenda=agenda_items(session, neighbor_code, last_joint_meeting),
        since=last_joint_meeting,
    )
