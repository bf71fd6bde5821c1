"""The governance demo step: fast, synthetic, idempotent, and consistent with the API."""

from __future__ import annotations

import time
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.governance.demo import load_demo_governance
from service.governance.meetings.models import ActionItem, Meeting, Minutes
from service.timeutil import today_local


def test_demo_makes_a_year_and_a_bit_of_governance(
    client: TestClient, db: Session, auth_headers: Callable[[str], dict[str, str]]
) -> None:
    started = time.perf_counter()
    counts = load_demo_governance(db)
    elapsed = time.perf_counter() - started
    # Target < 10 s on an idle 2-core machine; the bound leaves room for a busy CI box.
    assert elapsed < 20, elapsed
    assert counts["meetings"] >= 6 and counts["action_items"] >= 8
    assert counts["annual_lists"] >= 3 and counts["health_assessments"] >= 3
    assert counts["river_plans"] == 3
    assert load_demo_governance(db) == {"skipped_existing": 1}
    assert db.scalar(select(func.count()).select_from(Meeting).where(~Meeting.is_synthetic)) == 0
    states = set(db.scalars(select(Minutes.state)))
    assert "issued" in states
    assert len(set(db.scalars(select(ActionItem.state)))) >= 3

    office = auth_headers("office")
    last = today_local().year - 1
    body = client.get(f"/api/v1/assessments/{last}", headers=office).json()
    assert len(body["counties"]) == 11
    duties = client.get("/api/v1/duties", params={"year": last}, headers=office).json()
    by_code = {d["code"]: d for d in duties}
    assert by_code["general_chief_meeting"]["status"] == "met"
    assert by_code["annual_assessment"]["status"] == "met"
    lists = [d for d in duties if d["code"] == "annual_lists_issued"]
    assert lists and all(d["status"] == "met" for d in lists)
    layer = client.get("/api/v1/health/map.geojson", params={"year": last}).json()
    assert len(layer["features"]) == 3
