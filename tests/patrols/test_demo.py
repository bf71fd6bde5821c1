"""Synthetic patrols: realistic enough to fill the map and compliance, marked synthetic."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from service.patrols.compliance import compliance
from service.patrols.demo import generate
from service.patrols.models import Patrol, PatrolCoverage


def test_generate_makes_a_realistic_mix(db, client) -> None:
    report = generate(db, 2025, 40, seed=3)
    assert report["patrols"] == 40
    patrols = db.scalars(select(Patrol).where(Patrol.is_synthetic)).all()
    assert len(patrols) == 40
    assert all(p.patrol_date.year == 2025 and p.notes and "演示" in p.notes for p in patrols)
    valid = [p for p in patrols if p.valid]
    # mostly valid, some invalid on purpose (brief looks, strolls, far bank, untimed)
    assert 0.5 * len(patrols) <= len(valid) < len(patrols)
    reasons = {r for p in patrols for r in p.invalid_reasons}
    assert reasons & {
        "too_short_duration",
        "too_short_length",
        "no_coverage_of_own_river",
        "no_times",
    }
    # walking and driving speeds, all plausible
    speeds = [p.length_m / 1000 / (p.duration_min / 60) for p in patrols if p.duration_min]
    assert min(speeds) > 1.0 and max(speeds) < 60.0
    covered = db.scalar(
        select(func.count())
        .select_from(PatrolCoverage)
        .join(Patrol, Patrol.id == PatrolCoverage.patrol_id)
        .where(Patrol.valid)
    )
    assert covered and covered >= len(valid)
    rows = client.get("/api/v1/coverage", params={"from": "2025-01-01", "to": "2025-12-31"}).json()
    assert any(r["coverage"] > 0 for r in rows)
    assert all(0.0 <= r["coverage"] <= 1.0 for r in rows)
    assert sum(r.total for r in compliance(db, 2025)) > 0
    # this year to date only
    assert generate(db, 2026, 5, until=date(2026, 2, 1), seed=4)["patrols"] == 5
    assert db.scalar(select(func.max(Patrol.patrol_date))) <= date(2026, 2, 1)
