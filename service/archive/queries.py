"""Reads of the river archive (一河一档): the typed-in fields next to what the service knows.

Computed on every read, so the archive never drifts from the registry: the river's code,
name and class (``river``), its length inside the city and the counties and townships it
crosses (``service/sql/archive_places.sql``), its reaches and their chiefs on the day
(``service.reaches.queries``), monitoring sections (``section``), open problems by category,
its plans (一河一策) and annual lists (四张清单) by year.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.archive.models import RiverArchive
from service.archive.schemas import (
    ArchiveChief,
    ArchiveList,
    ArchiveOut,
    ArchivePlan,
    ArchiveReach,
    ArchiveSection,
    PlaceOut,
    ProblemCount,
    WaterFunctionZone,
)
from service.errors import NotFound
from service.governance.lists.models import AnnualList, AnnualListItem, RiverPlan
from service.problems.models import CATEGORIES, Problem
from service.problems.workflow import OPEN_STATES
from service.reaches.queries import list_reaches
from service.rivers.models import River
from service.sql import load_sql
from service.water_quality.models import Section


def _places(session: Session, river_id: int, on: date) -> tuple[list[PlaceOut], list[PlaceOut]]:
    counties: list[PlaceOut] = []
    townships: list[PlaceOut] = []
    for row in session.execute(load_sql("archive_places"), {"river_id": river_id, "on": on}):
        place = PlaceOut(code=row.code, name=row.name, length_km=round(row.length_m / 1000, 3))
        (counties if row.kind == "county" else townships).append(place)
    return counties, townships


def _reaches(session: Session, river_id: int, on: date) -> list[ArchiveReach]:
    return [
        ArchiveReach(
            id=r["id"],
            level=r["level"],
            code=r["code"],
            name=r["name"],
            admin_name=r["admin_name"],
            length_km=r["length_km"],
            chiefs=[ArchiveChief(name=c["name"], title=c["title"]) for c in r["chiefs"]],
        )
        for r in list_reaches(session, on, river_id=river_id)
    ]


def _sections(session: Session, river_id: int) -> list[ArchiveSection]:
    rows = session.scalars(
        select(Section).where(Section.river_id == river_id).order_by(Section.measure_m, Section.id)
    ).all()
    return [
        ArchiveSection(
            id=s.id,
            code=s.code,
            name=s.name,
            kind=s.kind,
            target_class=s.target_class,
            measure_km=round(s.measure_m / 1000, 3),
        )
        for s in rows
    ]


def _open_problems(session: Session, river_id: int) -> list[ProblemCount]:
    rows = session.execute(
        select(Problem.category, func.count())
        .where(
            Problem.river_id == river_id,
            Problem.state.in_(sorted(OPEN_STATES)),
            Problem.duplicate_of.is_(None),
        )
        .group_by(Problem.category)
    ).all()
    counts = dict(rows)
    return [
        ProblemCount(category=code, label=label, open=counts[code])
        for code, label in CATEGORIES.items()
        if counts.get(code)
    ]


def _plans(session: Session, river_id: int) -> list[ArchivePlan]:
    rows = session.scalars(
        select(RiverPlan)
        .where(RiverPlan.river_id == river_id)
        .order_by(RiverPlan.period_start, RiverPlan.id)
    ).all()
    return [
        ArchivePlan(
            id=p.id,
            title=p.title,
            period_start=p.period_start,
            period_end=p.period_end,
            state=p.state,
        )
        for p in rows
    ]


def _lists(session: Session, river_id: int) -> list[ArchiveList]:
    headers = session.scalars(
        select(AnnualList).where(AnnualList.river_id == river_id).order_by(AnnualList.year)
    ).all()
    counts: dict[tuple[int, str], int] = {}
    if headers:
        for list_id, kind, n in session.execute(
            select(AnnualListItem.list_id, AnnualListItem.kind, func.count())
            .where(AnnualListItem.list_id.in_([h.id for h in headers]))
            .group_by(AnnualListItem.list_id, AnnualListItem.kind)
        ):
            counts[(list_id, kind)] = n
    return [
        ArchiveList(
            id=h.id,
            year=h.year,
            state=h.state,
            targets=counts.get((h.id, "targets"), 0),
            problems=counts.get((h.id, "problems"), 0),
            tasks=counts.get((h.id, "tasks"), 0),
            responsibilities=counts.get((h.id, "responsibilities"), 0),
        )
        for h in headers
    ]


def river_archive(session: Session, river_id: int, on: date) -> ArchiveOut:
    """The archive of river ``river_id`` with its reaches and chiefs on local day ``on``."""
    river = session.get(River, river_id)
    if river is None:
        raise NotFound(f"river {river_id} not found")
    stored = session.get(RiverArchive, river_id)
    counties, townships = _places(session, river_id, on)
    return ArchiveOut(
        river_id=river.id,
        on=on,
        code=river.code,
        name=river.name,
        kind=river.kind,
        river_class=river.river_class,
        river_level=stored.river_level if stored else None,
        basin=stored.basin if stored else None,
        source=stored.source if stored else None,
        mouth=stored.mouth if stored else None,
        total_length_km=stored.total_length_km if stored else None,
        length_in_city_km=round(sum(c.length_km for c in counties), 3),
        catchment_area_km2=stored.catchment_area_km2 if stored else None,
        counties=counties,
        townships=townships,
        reaches=_reaches(session, river_id, on),
        sections=_sections(session, river_id),
        water_function_zones=[
            WaterFunctionZone.model_validate(z)
            for z in (stored.water_function_zones if stored else [])
        ],
        main_problems=list(stored.main_problems) if stored else [],
        open_problems=_open_problems(session, river_id),
        plans=_plans(session, river_id),
        annual_lists=_lists(session, river_id),
        note=stored.note if stored else None,
        updated_at=stored.updated_at if stored else None,
    )
