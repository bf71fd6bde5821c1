"""A section worse than its target: a 水质异常 problem, routed to the reach just upstream.

For each month a section's class (of the month's means) is worse than its target class:

- no open problem of the section: a new problem (category ``water_quality``) at the section's
  point, routed to the reach from ``routing.responsible_reach`` (just upstream; at an inflow
  border section the first reach of the city), with that reach's county and the river's
  municipal chief and liaison unit on the day sampled;
- an open problem of the section already: a history row ``supervise`` (督办) on it, and the
  problem is marked supervised, rather than a second problem.

Each such month is one ``section_exceedance`` row and one :class:`SectionExceeded` event,
emitted as ``EVENT`` (notifications declare a hook for it). Sections are locked while
checked, so two imports at once cannot open two problems for one section.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from geoalchemy2.elements import WKTElement
from sqlalchemy import desc, func, select
from sqlalchemy.orm import Session

from service.domains import compose
from service.errors import InvalidInput
from service.officials.queries import liaison_unit_of, municipal_chief
from service.problems.models import Problem
from service.problems.workflow import OPEN_STATES, PROBLEM_FLOW
from service.rivers.models import River, Segment
from service.settings import get_settings
from service.timeutil import LOCAL_TZ, local_date, now_utc
from service.water_quality.aggregate import PeriodMean, monthly_means
from service.water_quality.events import EVENT, SectionExceeded, events_of
from service.water_quality.models import Section, SectionExceedance, SectionReading
from service.water_quality.routing import reaches_around, responsible_reach
from service.water_quality.standard import BY_CODE, CLASS_NUMERALS
from service.workflow import Actor


def _worst_text(mean: PeriodMean) -> str:
    parts = []
    for code in mean.classification.worst:
        info = BY_CODE[code]
        value = mean.means[code]
        klass = CLASS_NUMERALS[mean.classification.by_parameter[code]]
        parts.append(f"{info.name} {value:g} {info.unit}（{klass}类）".replace(" （", "（"))
    return "、".join(parts)


def describe(section: Section, river_name: str, mean: PeriodMean) -> str:
    """The problem text: section, month, class against target, the deciding parameters."""
    cls = mean.classification.water_class
    assert cls is not None
    return (
        f"{river_name} {section.name}断面（{section.code}）{mean.period:%Y年%m月}水质"
        f"{CLASS_NUMERALS[cls]}类，劣于目标{CLASS_NUMERALS[section.target_class]}类；"
        f"超标因子：{_worst_text(mean)}"
    )


def _observed_at(session: Session, section_id: int, month: date) -> datetime:
    """Noon (Asia/Shanghai) of the month's last sampling day: when the failure was seen."""
    nxt = (month + timedelta(days=32)).replace(day=1)
    day = session.scalar(
        select(func.max(SectionReading.sampled_on)).where(
            SectionReading.section_id == section_id,
            SectionReading.sampled_on >= month,
            SectionReading.sampled_on < nxt,
        )
    )
    return datetime.combine(day or month, time(12), tzinfo=LOCAL_TZ)


def open_problem_of(session: Session, section_id: int) -> Problem | None:
    """The newest open 水质异常 problem opened for the section, if any."""
    return session.scalar(
        select(Problem)
        .join(SectionExceedance, SectionExceedance.problem_id == Problem.id)
        .where(SectionExceedance.section_id == section_id, Problem.state.in_(sorted(OPEN_STATES)))
        .order_by(desc(Problem.id))
        .limit(1)
    )


def _open_problem(
    session: Session,
    section: Section,
    river_name: str,
    mean: PeriodMean,
    actor: Actor | None,
    now: datetime,
    synthetic: bool,
) -> Problem:
    observed = min(_observed_at(session, section.id, mean.period), now)
    day = local_date(observed)
    around = reaches_around(session, section.river_id, section.measure_m, day)
    reach = responsible_reach(around, section.direction)
    if reach is None:
        raise InvalidInput(f"river {river_name} has no reach in the city to route to")
    lon, lat, distance = session.execute(
        select(
            func.ST_X(Section.geom),
            func.ST_Y(Section.geom),
            func.ST_Distance(func.Geography(Section.geom), func.Geography(Segment.geom)),
        )
        .join(Segment, Segment.id == reach.segment_id)
        .where(Section.id == section.id)
    ).one()
    chief = municipal_chief(session, section.river_id, day)
    unit = liaison_unit_of(session, section.river_id, day)
    description = describe(section, river_name, mean)
    problem = Problem(
        category="water_quality",
        description=description,
        geom=WKTElement(f"POINT({float(lon)!r} {float(lat)!r})", srid=4326),
        input_lon=float(lon),
        input_lat=float(lat),
        datum="wgs84",
        observed_at=observed,
        reported_at=now,
        reporter_id=actor.id if actor is not None else None,
        river_id=section.river_id,
        segment_id=reach.segment_id,
        county_code=reach.county_code,
        distance_m=round(float(distance), 1),
        off_river=False,
        chief_official_id=chief.id if chief else None,
        liaison_unit_id=unit.id if unit else None,
        covert=False,
        is_synthetic=synthetic,
        state=PROBLEM_FLOW.initial,
        due_date=local_date(now) + timedelta(days=get_settings().problem_default_due_days),
    )
    session.add(problem)
    session.flush()
    PROBLEM_FLOW.start(
        session, problem, actor, note=description, data=_event_data(section, mean), at=now
    )
    return problem


def _event_data(section: Section, mean: PeriodMean) -> dict[str, Any]:
    return {
        "section_id": section.id,
        "section_code": section.code,
        "month": mean.period.isoformat(),
        "water_class": mean.classification.water_class,
        "target_class": section.target_class,
        "worst_parameters": list(mean.classification.worst),
    }


def _supervise(
    session: Session,
    problem: Problem,
    section: Section,
    river_name: str,
    mean: PeriodMean,
    actor: Actor | None,
    now: datetime,
) -> None:
    note = "再次超标，督办：" + describe(section, river_name, mean)
    PROBLEM_FLOW.record(
        session, problem, "supervise", actor, note=note, data=_event_data(section, mean), at=now
    )
    problem.supervised_at = now


def check_sections(
    session: Session,
    months_by_section: dict[int, set[date]],
    actor: Actor | None,
    *,
    now: datetime | None = None,
    synthetic: bool = False,
) -> list[SectionExceeded]:
    """Check the given months (first days) of the given sections against their targets, in
    month order per section; open or supervise problems; return the events."""
    now = now or now_utc()
    stored: list[int] = []
    # Lock in id order, so two imports touching the same sections queue. FOR NO KEY UPDATE:
    # each import already holds a key-share lock on its sections (the foreign keys of the
    # readings it inserted), which FOR UPDATE would wait on: two imports would deadlock.
    sections = session.scalars(
        select(Section)
        .where(Section.id.in_(sorted(months_by_section)))
        .order_by(Section.id)
        .with_for_update(key_share=True)
    ).all()
    for section in sections:
        months = sorted(months_by_section[section.id])
        nxt = (months[-1] + timedelta(days=32)).replace(day=1)
        means = monthly_means(session, months[0], nxt - timedelta(days=1), [section.id])
        river_name = session.scalar(select(River.name).where(River.id == section.river_id)) or ""
        for month in months:
            mean = means.get((section.id, month))
            cls = mean.classification.water_class if mean else None
            if mean is None or cls is None or cls <= section.target_class:
                continue
            seen = session.scalar(
                select(SectionExceedance.id).where(
                    SectionExceedance.section_id == section.id, SectionExceedance.month == month
                )
            )
            if seen is not None:
                continue
            problem = open_problem_of(session, section.id)
            repeat = problem is not None
            if problem is None:
                problem = _open_problem(session, section, river_name, mean, actor, now, synthetic)
            else:
                _supervise(session, problem, section, river_name, mean, actor, now)
            row = SectionExceedance(
                section_id=section.id,
                month=month,
                water_class=cls,
                target_class=section.target_class,
                worst_parameters=list(mean.classification.worst),
                problem_id=problem.id,
                repeat=repeat,
                is_synthetic=synthetic,
            )
            session.add(row)
            session.flush()
            stored.append(row.id)
    found = events_of(session, stored)
    # Other domains react in this transaction (notifications queue 断面水质未达标).
    for event in found:
        compose().emit(session, EVENT, event)
    return found


def reroute_problems(session: Session, river_ids: list[int]) -> None:
    """After a re-cut or re-import: problems opened by sections of these rivers point at the
    reach that answers for the section now (segment ids changed; county and roster stand)."""
    rows = session.execute(
        select(Problem, Section)
        .join(SectionExceedance, SectionExceedance.problem_id == Problem.id)
        .join(Section, Section.id == SectionExceedance.section_id)
        .where(Section.river_id.in_(river_ids), SectionExceedance.repeat.is_(False))
    ).all()
    for problem, section in rows:
        day = local_date(problem.observed_at)
        reach = responsible_reach(
            reaches_around(session, section.river_id, section.measure_m, day), section.direction
        )
        problem.segment_id = reach.segment_id if reach else None
    session.flush()
