"""Data for the workbench tests: problems reported and assigned through the API, one valid
and one invalid patrol of 岷江's municipal chief, one public report with its tracking code.
The test session's demo has the registry and accounts but no activity."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, update
from sqlalchemy.orm import Session

from service.problems.models import Problem
from service.public.models import PublicReport
from tests.patrols.conftest import gpx, river_points

BESIDE_DADU = (103.6262, 29.3396)  # 沙湾区, 56 m from 大渡河 (tests/problems/conftest.py)
START = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)
CATEGORIES = ("garbage", "sand_mining", "sewage_outfall")


@dataclass
class Seeded:
    problems: list[int]
    overdue: list[int]
    patrol_valid: int
    patrol_invalid: int
    code: str
    coded_problem: int


@pytest.fixture
def seeded(
    client: TestClient, db: Session, auth_headers: Callable[[str], dict[str, str]]
) -> Seeded:
    office = auth_headers("office")
    ids: list[int] = []
    for i in range(15):
        r = client.post(
            "/api/v1/problems",
            json={
                "lon": BESIDE_DADU[0] + i * 1e-5,
                "lat": BESIDE_DADU[1],
                "category": CATEGORIES[i % 3],
                "description": f"工作台测试问题 {i}: 岸边垃圾",
                "observed_at": f"2026-03-{i + 1:02d}T10:30:00+08:00",
            },
            headers=office,
        )
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    for pid in ids[:3]:
        r = client.post(
            f"/api/v1/problems/{pid}/transitions",
            json={"action": "assign", "assignee_county": "511111", "due_date": "2099-01-01"},
            headers=office,
        )
        assert r.status_code == 200, r.text
    # Due dates have passed since (an assignment cannot be given a past due date).
    for pid, due in zip(
        ids[:3], (date(2026, 4, 1), date(2026, 4, 2), date(2026, 5, 1)), strict=True
    ):
        db.execute(update(Problem).where(Problem.id == pid).values(due_date=due))
    db.flush()
    chief = auth_headers("chief")
    good = client.post(
        "/api/v1/patrols",
        files={"file": ("good.gpx", gpx([river_points(db, "岷江", 0.30, 0.36, start=START)]))},
        headers=chief,
    )
    assert good.status_code == 201 and good.json()["valid"], good.text
    bad = client.post(
        "/api/v1/patrols",
        files={
            "file": (
                "bad.gpx",
                gpx([river_points(db, "岷江", 0.40, 0.45, start=START)], times=False),
            )
        },
        data={"date": "2026-03-02"},
        headers=chief,
    )
    assert bad.status_code == 201 and not bad.json()["valid"], bad.text
    report = PublicReport(
        code="WBTEST42",
        category="garbage",
        description="群众反映",
        geom=func.ST_SetSRID(func.ST_MakePoint(*BESIDE_DADU), 4326),
        input_lon=BESIDE_DADU[0],
        input_lat=BESIDE_DADU[1],
        datum="wgs84",
        county_code="511111",
        source_hash="0" * 64,
        state="accepted",
        problem_id=ids[5],
    )
    db.add(report)
    db.flush()
    return Seeded(
        problems=ids,
        overdue=ids[:3],
        patrol_valid=good.json()["id"],
        patrol_invalid=bad.json()["id"],
        code="WBTEST42",
        coded_problem=ids[5],
    )
