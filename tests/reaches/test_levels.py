"""Duties by level: compliance, a chief's coverage of their own reach, the rules' file."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.errors import InvalidInput
from service.officials.models import Assignment
from service.patrols.compliance import compliance
from service.patrols.duty_rules import DEFAULT_RULES, load_rules
from service.reaches.coverage import Range, range_coverage
from service.reaches.models import Reach
from service.settings import get_settings
from tests.patrols.conftest import gpx
from tests.reaches.conftest import reach_track, reaches_of
from tests.support import Headers

# Tuesday 10 November 2026, 09:00 in Asia/Shanghai: ISO week 2026-W46.
TUESDAY = datetime(2026, 11, 10, 1, 0, tzinfo=UTC)


def _village(db: Session) -> tuple[Reach, int]:
    """A demo village reach of 岷江 at least 3 km long, and its chief."""
    reach = next(r for r in reaches_of(db, "岷江", "village") if r.length_m >= 3000)
    chief = db.scalar(
        select(Assignment.official_id).where(
            Assignment.reach_id == reach.id, Assignment.role == "river_chief"
        )
    )
    assert chief is not None
    return reach, chief


def test_compliance_lists_every_level_with_its_rule(
    client: TestClient, auth_headers: Headers
) -> None:
    rows = client.get("/api/v1/compliance", params={"year": 2026}, headers=auth_headers("office"))
    assert rows.status_code == 200, rows.text
    by_level: dict[str, list[dict]] = {}  # type: ignore[type-arg]
    for row in rows.json():
        by_level.setdefault(row["level"], []).append(row)
    assert set(by_level) == {"city", "county", "township", "village"}
    periods = {
        lvl: {r["period"] for r in rs if r["role"] == "river_chief"} for lvl, rs in by_level.items()
    }
    assert periods == {
        "city": {"half"},
        "county": {"quarter"},
        "township": {"month"},
        "village": {"week"},
    }
    village = by_level["village"][0]
    assert village["rule"].startswith("村级河长") and "每周不少于1次" in village["rule"]
    assert village["rule_source"] and village["reach_ids"]
    assert set(village["periods"][0]) == {"label", "from", "to", "required", "done"}
    assert "patrol_ids" not in village  # evidence for the assessment, not part of the API
    # Held since 2023: every ISO week of 2026 is owed (53 of them), none done yet.
    assert village["required_total"] == 53 and village["total"] == 0
    assert village["compliant"] is False and "periods missed" in village["missing"][0]
    xlsx = client.get(
        "/api/v1/compliance",
        params={"year": 2026, "format": "xlsx"},
        headers=auth_headers("office"),
    )
    assert xlsx.status_code == 200 and len(xlsx.content) > 1000


def test_a_village_chief_patrol_counts_by_the_village_rule_and_covers_their_reach(
    client: TestClient, auth_headers: Headers, db: Session
) -> None:
    reach, chief = _village(db)
    # 70% of the reach (>= 2.1 km) at 4 km/h: over 30 minutes and 2 km, 40 m from the line.
    good = reach_track(db, reach.id, 0.05, 0.75, start=TUESDAY)
    r = client.post(
        "/api/v1/patrols",
        files={"file": ("v.gpx", gpx([good]), "application/gpx+xml")},
        data={"chief_id": str(chief)},
        headers=auth_headers("office"),
    )
    assert r.status_code == 201 and r.json()["valid"], r.text
    # A short walk the same week: valid (>= 10 min, >= 1 km) but under the village rule.
    short = reach_track(db, reach.id, 0.0, 1100 / reach.length_m, start=TUESDAY.replace(day=12))
    s = client.post(
        "/api/v1/patrols",
        files={"file": ("s.gpx", gpx([short]), "application/gpx+xml")},
        data={"chief_id": str(chief)},
        headers=auth_headers("office"),
    )
    assert s.status_code == 201 and s.json()["valid"] and s.json()["length_km"] < 2, s.text
    row = next(r for r in compliance(db, 2026, today=date(2026, 11, 13)) if r.official_id == chief)
    week = next(p for p in row.periods if p.label == "2026-W46")
    assert week.done == 1 and row.total == 1 and row.h2 == 1
    # W01..W45 have ended without a patrol; W46 is met; W47..W53 are still to come.
    assert row.missing[0].startswith("45 of 53 week periods missed: 2026-W01")
    # ISO weeks are never split: 2026-W53 runs to Sunday 3 January 2027.
    assert row.missing[1] == "7 more patrols in the 7 week periods to come, by 2027-01-03"
    # The chief's coverage is their reach's: the merged intervals inside its measure range.
    expected = range_coverage(
        db,
        [Range(reach.id, reach.river_id, reach.from_m, reach.to_m)],
        date(2026, 1, 1),
        date(2026, 11, 13),
    )[reach.id]
    assert row.coverage == round(expected.coverage, 4)
    assert 0.70 < row.coverage < 0.78  # the union of 0..1.1 km and 0.05..0.75 of the reach
    assert expected.patrols == 2 and abs(expected.length_m - reach.length_m) < 1


def test_rules_replaced_from_a_file(
    tmp_path: Path, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "duties.json"
    path.write_text(
        json.dumps(
            {
                "rules": [
                    {
                        "key": "village",
                        "period": "xun",
                        "min_length_km": 1.0,
                        "source": "某县规定（示例）",
                    },
                    {"key": "township", "per_year": 10, "source": "某县规定（示例）"},
                ]
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    rules = load_rules(str(path))
    assert rules["village"].period == "xun" and rules["village"].min_length_km == 1.0
    assert rules["village"].per_period == DEFAULT_RULES["village"].per_period
    assert rules["township"].per_year == 10 and rules["county"] == DEFAULT_RULES["county"]
    monkeypatch.setattr(get_settings(), "duty_rules", str(path))
    row = next(r for r in compliance(db, 2026, today=date(2026, 11, 13)) if r.level == "village")
    assert (
        row.period == "xun" and row.required_total == 36 and row.rule_source == "某县规定（示例）"
    )
    for bad in (
        {"rules": [{"key": "mayor", "source": "x"}]},
        {"rules": [{"key": "village", "period": "fortnight", "source": "x"}]},
        {"rules": [{"key": "village", "source": " "}]},
        {"rules": [{"key": "village", "per_year": 0, "period": None, "source": "x"}]},
        {"rules": [{"key": "village", "colour": "red", "source": "x"}]},
    ):
        wrong = tmp_path / "bad.json"
        wrong.write_text(json.dumps(bad), encoding="utf-8")
        load_rules.cache_clear()
        with pytest.raises(InvalidInput):
            load_rules(str(wrong))
    load_rules.cache_clear()
