"""Rows of the tables Citus distributes know their region when written (migration 0017), and
the per-region layer versions move with them. Runs on one PostGIS (``make test``) and on a
Citus cluster (``make test-citus``), where the region routes each row to its shard."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from geoalchemy2 import WKTElement
from sqlalchemy import text
from sqlalchemy.orm import Session

from service.citus.distribute import distribute
from service.errors import Conflict
from service.problems.models import Problem
from service.tiles.queries import layer_version
from service.workflow.models import WorkflowEvent
from tests.conftest import on_citus


def _problem(db: Session, county: str) -> Problem:
    p = Problem(
        category="garbage",
        description="测试",
        geom=WKTElement("POINT(103.55 29.41)", 4326),
        input_lon=103.55,
        input_lat=29.41,
        datum="wgs84",
        observed_at=datetime(2026, 3, 1, 2, tzinfo=UTC),
        county_code=county,
        off_river=True,
        state="reported",
    )
    db.add(p)
    db.flush()
    return p


def test_a_problem_and_its_history_take_the_city_of_its_county(db: Session) -> None:
    # 511111 沙湾区 is in 511100 乐山市; a county of another city is in that city's region.
    here = _problem(db, "511111")
    there = _problem(db, "511402")
    assert (here.region_code, there.region_code) == ("511100", "511400")
    event = WorkflowEvent(
        entity_type="problem", entity_id=there.id, seq=1, action="report", to_state="reported"
    )
    other = WorkflowEvent(
        entity_type="action_item", entity_id=there.id, seq=1, action="create", to_state="open"
    )
    db.add_all([event, other])
    db.flush()
    # a problem's history sits with the problem; other entities' with the home city
    assert event.region_code == "511400"
    assert other.region_code == db.scalar(text("SELECT home_region()")) == "511100"


def test_a_chief_s_region_is_the_city_of_their_assignment(db: Session) -> None:
    chief, county = db.execute(
        text(
            "SELECT official_id, county_code FROM assignment "
            "WHERE official_id IS NOT NULL AND county_code IS NOT NULL LIMIT 1"
        )
    ).one()
    region = db.scalar(text("SELECT region_of_chief(:c)"), {"c": chief})
    assert region == county[:4] + "00"


def test_problems_move_their_region_s_layer_version(db: Session) -> None:
    before = layer_version(db, "problems")
    regional = (
        "SELECT version FROM layer_version_region WHERE layer = 'problems' AND region_code = :r"
    )
    r_before = db.scalar(text(regional), {"r": "511400"}) or 0
    _problem(db, "511402")
    after = layer_version(db, "problems")  # fires the deferred triggers first
    assert after > before
    assert db.scalar(text(regional), {"r": "511400"}) == r_before + 1


def test_distribute_needs_a_citus_coordinator(db: Session) -> None:
    if on_citus():  # the test database is distributed already: nothing to do twice
        assert distribute(db.connection()).already
        return
    with pytest.raises(Conflict) as refused:
        distribute(db.connection())
    assert refused.value.code == "not_citus"
