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
from service.water_quality.events import list_exceedances
from service.water_quality.queries import series
from service.water_quality.schemas import AgendaItem, NeighborWaterQuality, SectionSeries
from service.water_quality.spreadsheet import EARLIEST, LATEST
from service.water_quality.standard import BY_CODE, CLASS_NUMERALS, class_label


def border_sections(
    session: Session, neighbor_code: str, date_from: date, date_to: date
) -> list[SectionSeries]:
    """The 交接断面水质清单 with ``neighbor_code``: inflow sections first (upstream), then
    outflow, each with its monthly classes over the period and the period's class."""
    rows = series(session, date_from, date_to, neighbor_code=neighbor_code)
    order = {"inflow": 0, "outflow": 1}
    return sorted(rows, key=lambda r: (order.get(r.direction or "", 2), r.river_id, r.id))


def agenda_items(session: Session, neighbor_code: str, since: date | None) -> list[AgendaItem]:
    """Exceedances at inflow sections from ``neighbor_code`` in months from ``since``'s (the
    last joint meeting with it; all when there was none), oldest first, each with the state of
    the problem it opened or supervised."""
    found = list_exceedances(
        session, since or EARLIEST, LATEST, neighbor_code=neighbor_code, direction="inflow"
    )
    ids = [e.problem_id for e in found if e.problem_id is not None]
    states: dict[int, str] = {
        pid: state
        for pid, state in session.execute(
            select(Problem.id, Problem.state).where(Problem.id.in_(ids))
        )
    }
    out = []
    for e in sorted(found, key=lambda x: (x.month, x.section_id)):
        worst = "、".join(BY_CODE[c].name for c in e.worst_parameters if c in BY_CODE)
        state = states.get(e.problem_id) if e.problem_id is not None else None
        out.append(
            AgendaItem(
                **e.model_dump(),
                label=class_label(e.water_class) or "",
                title=f"{e.river_name}{e.section_name}断面 {e.month:%Y年%m月} 入境水质"
                f"{CLASS_NUMERALS[e.water_class]}类，劣于目标{CLASS_NUMERALS[e.target_class]}类"
                + (f"（{worst}）" if worst else ""),
                problem_state=state,
                problem_state_label=STATE_LABELS.get(state or ""),
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
