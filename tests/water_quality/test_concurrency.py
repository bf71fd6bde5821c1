"""Two imports failing the same section in the same month at once open ONE problem: the
sections are locked while checked, so the second waits and sees the first's exceedance."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from service.problems.models import Problem
from service.water_quality.models import (
    Section,
    SectionExceedance,
    SectionReading,
    SectionReadingImport,
)
from service.water_quality.readings import import_readings
from service.water_quality.registry import register_section
from service.water_quality.schemas import SectionIn
from service.workflow import SystemActor
from service.workflow.models import WorkflowEvent
from tests.water_quality.conftest import BESIDE_DADU, FAILING, month_ago, xlsx

CODE = "T-RACE"


@pytest.fixture
def committed_section(engine: Engine) -> Iterator[int]:
    """A section committed for the threads' own sessions; everything of it removed after."""
    with Session(engine) as session:
        body = SectionIn(
            name="并发测试", code=CODE, kind="county", lon=BESIDE_DADU[0], lat=BESIDE_DADU[1],
            target_class=3,
        )  # fmt: skip
        section_id = register_section(session, body, SystemActor()).id
        session.commit()
    try:
        yield section_id
    finally:
        with Session(engine) as session:
            problems = select(SectionExceedance.problem_id).where(
                SectionExceedance.section_id == section_id
            )
            ids = [i for i in session.scalars(problems) if i is not None]
            imports = select(SectionReading.import_id).where(
                SectionReading.section_id == section_id
            )
            batch_ids = [i for i in session.scalars(imports) if i is not None]
            session.execute(delete(Section).where(Section.id == section_id))
            session.execute(
                delete(SectionReadingImport).where(SectionReadingImport.id.in_(batch_ids))
            )
            session.execute(
                delete(WorkflowEvent).where(
                    WorkflowEvent.entity_type == "problem", WorkflowEvent.entity_id.in_(ids)
                )
            )
            session.execute(delete(Problem).where(Problem.id.in_(ids)))
            session.commit()


def test_two_imports_at_once_open_one_problem(engine: Engine, committed_section: int) -> None:
    month = month_ago(1)
    files = [xlsx([[CODE, "", month.replace(day=day).isoformat(), *FAILING]]) for day in (3, 17)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(content: bytes) -> None:
        try:
            with Session(engine) as session:
                barrier.wait(timeout=30)
                import_readings(session, "race.xlsx", content, SystemActor())
                session.commit()
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(f,)) for f in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    with Session(engine) as session:
        readings = session.scalar(
            select(func.count(SectionReading.id)).where(
                SectionReading.section_id == committed_section
            )
        )
        exceeded = session.scalars(
            select(SectionExceedance).where(SectionExceedance.section_id == committed_section)
        ).all()
    assert readings == 2
    assert len(exceeded) == 1 and exceeded[0].problem_id is not None and not exceeded[0].repeat
