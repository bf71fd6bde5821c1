"""Migration 0012 on a database at 0011 with demo activity: nothing loses history or river.

The database at 0011 is made as an office's would be: the demo (roster, patrols, problems with
their whole workflow histories) loaded at head and migrated down to 0011, plus rows only the
old schema could hold (a county chief bound to a segment, a problem that lost its segment).
Then 0012 runs, and every assignment and problem of the 0011 database must still be there,
unchanged, each assignment holding the reach that stands for what it held before.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.orm import Session

from service.migrate import alembic_config
from service.settings import normalise_database_url
from tests.support import scratch_database
from tests.test_migrations import _include

pytestmark = pytest.mark.slow

ASSIGNMENTS = """
    SELECT id, river_id, official_id, liaison_unit_id, role, level, county_code, segment_id,
           valid_from, valid_to, is_demo
    FROM assignment ORDER BY id"""
PROBLEMS = """
    SELECT id, river_id, county_code, segment_id, chief_official_id, liaison_unit_id, state,
           assignee_county, due_date, observed_at
    FROM problem ORDER BY id"""
HISTORY = """
    SELECT entity_type, entity_id, seq, action, from_state, to_state, actor_id, note, at
    FROM workflow_event ORDER BY entity_type, entity_id, seq"""


def _rows(conn: Connection, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in conn.execute(text(sql))]


@pytest.fixture(scope="module")
def at_0011(database_url: str) -> Iterator[str]:
    """A database at 0011 holding the demo's roster, patrols and problems (``database_url``:
    the session's settings are in place)."""
    from service.demo.load import load_demo
    from service.domains import compose
    from service.patrols.demo import generate
    from service.problems.demo import load_demo_problems

    with scratch_database("rc_mig_0012") as url:
        engine = create_engine(normalise_database_url(url))
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
        with Session(bind=engine) as session:
            load_demo(session, compose(), activity=False, progress=False)
            generate(session, 2025, 40, seed=5)
            session.commit()
            load_demo_problems(session)
            session.commit()
        with engine.begin() as conn:
            command.downgrade(alembic_config(conn), "0011")
        with engine.begin() as conn:
            # What only the old schema held: a county chief bound to a segment (ended), and a
            # problem whose segment was lost to a re-cut (issue 13's bug).
            conn.execute(
                text(
                    """
                    INSERT INTO assignment (river_id, segment_id, official_id, role, level,
                                            county_code, valid_from, valid_to, is_demo)
                    SELECT s.river_id, s.id, o.id, 'river_chief', 'county', s.county_code,
                           DATE '2023-05-18', DATE '2024-12-31', true
                    FROM segment s, official o
                    WHERE s.county_code = '511111' AND o.name = '周文昌'
                    ORDER BY s.length_m DESC LIMIT 1
                    """
                )
            )
            conn.execute(
                text(
                    "UPDATE problem SET segment_id = NULL WHERE id = "
                    "(SELECT min(id) FROM problem WHERE river_id IS NOT NULL)"
                )
            )
        engine.dispose()
        yield url


def test_upgrade_keeps_every_assignment_and_problem(at_0011: str) -> None:
    engine = create_engine(normalise_database_url(at_0011))
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT version_num FROM alembic_version")) == "0011"
        assignments = _rows(conn, ASSIGNMENTS)
        problems = _rows(conn, PROBLEMS)
        history = _rows(conn, HISTORY)
        patrols = _rows(conn, "SELECT id, chief_id, valid FROM patrol ORDER BY id")
    # Real activity to keep (a test on empty tables proves nothing).
    assert len(assignments) >= 30 and len(problems) >= 100 and len(patrols) >= 30
    assert sum(1 for h in history if h[0] == "problem") > 2 * len(problems)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    with engine.connect() as conn:
        assert _rows(conn, ASSIGNMENTS)[: len(assignments)] == assignments
        assert _rows(conn, PROBLEMS) == problems
        assert _rows(conn, HISTORY) == history
        assert _rows(conn, "SELECT id, chief_id, valid FROM patrol ORDER BY id") == patrols
        held = {
            r.id: r
            for r in conn.execute(
                text(
                    "SELECT a.id, a.role, a.level, a.river_id, a.county_code, a.segment_id,"
                    " r.id AS reach_id, r.level AS reach_level, r.river_id AS reach_river,"
                    " r.admin_code, r.from_m, r.to_m, r.valid_from AS reach_from"
                    " FROM assignment a LEFT JOIN reach r ON r.id = a.reach_id"
                )
            )
        }
        seg = {
            r.id: r
            for r in conn.execute(
                text("SELECT id, river_id, county_code, from_m, to_m FROM segment")
            )
        }
        for a in assignments:
            row = held[a[0]]
            if row.role == "general_chief" or row.role == "deputy_general_chief":
                assert row.reach_id is None
                continue
            if row.role == "liaison_unit" or row.level == "city":
                assert row.reach_level == "city" and row.reach_river == row.river_id
            elif row.level == "county":
                assert row.reach_level == "county" and row.admin_code == row.county_code
                assert row.reach_river == row.river_id
                if row.segment_id is not None:  # the segment's own reach
                    s = seg[row.segment_id]
                    assert (row.from_m, row.to_m) == (s.from_m, s.to_m)
            else:  # township or village rows of the old schema keep their river only
                assert row.reach_id is None and row.river_id is not None
            assert row.reach_id is None or row.reach_from <= date(2016, 12, 11)
        # A county chief bound by county holds every county reach of that county on the river
        # (the original row the first, copies the others).
        copies = conn.execute(
            text(
                "SELECT count(*) FROM assignment a JOIN reach r ON r.id = a.reach_id "
                "WHERE a.id > :last AND a.level = 'county'"
            ),
            {"last": max(a[0] for a in assignments)},
        ).scalar_one()
        shawan = conn.execute(
            text(
                "SELECT count(*) FROM reach r JOIN river v ON v.id = r.river_id "
                "WHERE v.name = '大渡河' AND r.level = 'county' AND r.admin_code = '511111'"
            )
        ).scalar_one()
        assert shawan == 4 and copies >= shawan - 1
        # Every problem on a river points at a county reach of its river holding its segment.
        placed = conn.execute(
            text(
                "SELECT p.id, p.river_id, r.river_id, r.level, s.from_m, s.to_m, r.from_m, r.to_m"
                " FROM problem p JOIN reach r ON r.id = p.reach_id"
                " LEFT JOIN segment s ON s.id = p.segment_id WHERE p.river_id IS NOT NULL"
            )
        ).all()
        on_river = [p for p in problems if p[1] is not None]
        assert len(placed) == len(on_river)
        for pid, river, reach_river, level, s_from, _s_to, r_from, _r_to in placed:
            assert reach_river == river and level == "county", pid
            assert s_from is None or s_from == r_from
        context = MigrationContext.configure(
            conn, opts={"include_object": _include, "compare_type": True}
        )
        from service.models import Base

        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()
