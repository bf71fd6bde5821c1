"""Re-importing a river's line places its reaches again from their stored end points."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from service.domains import compose
from service.reaches.models import Reach
from service.rivers.importer import ImportOptions, import_rivers
from tests.reaches.conftest import SHAWAN_DADU
from tests.support import river_id


def _shifted(db: Session, tmp_path: Path, name: str, dx_deg: float) -> Path:
    """The river's line moved ``dx_deg`` degrees east, as a GeoJSON file to import."""
    geom = db.execute(
        text("SELECT ST_AsGeoJSON(ST_Translate(geom, :dx, 0), 7) FROM river WHERE name = :n"),
        {"dx": dx_deg, "n": name},
    ).scalar_one()
    path = tmp_path / f"{name}.geojson"
    feature = {"type": "Feature", "properties": {"name": name}, "geometry": json.loads(geom)}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return path


def _state(db: Session, rid: int) -> dict[int, tuple[str, str, float, float]]:
    return {
        r.id: (r.code, r.level, r.from_m, r.to_m)
        for r in db.scalars(select(Reach).where(Reach.river_id == rid))
    }


def test_a_small_shift_keeps_every_reach_and_reports_none(
    client: TestClient, db: Session, tmp_path: Path
) -> None:
    rid = river_id(db, "大渡河")
    before = _state(db, rid)
    # ~100 m east: within the 500 m tolerance of the river.
    report = import_rivers(
        db,
        _shifted(db, tmp_path, "大渡河", 0.001),
        ImportOptions(accuracy_m=500.0),
        on_recut=compose().run_recut_hooks,
    )
    db.flush()
    # Township and village reaches stay where they were cut. County reaches follow the
    # county lines: where 大渡河 runs along the 沙湾/峨边 border a sideways shift moves the
    # crossings kilometres along the river, and those county reaches are reported.
    moved = report["reaches_moved"]
    assert {m["level"] for m in moved} <= {"county"}
    assert {m["code"][:6] for m in moved} <= {"511111", "511132"}
    after = _state(db, rid)
    assert set(after) >= set(before)  # same reaches, ids and codes (new ones if any)
    for reach_id, (code, level, lo, hi) in before.items():
        assert after[reach_id][:2] == (code, level)
        if level in ("township", "village"):
            # Along the line the places barely move (the line moved sideways).
            near = abs(after[reach_id][2] - lo) < 300 and abs(after[reach_id][3] - hi) < 300
            parent = db.get(Reach, db.get(Reach, reach_id).parent_id)  # type: ignore[union-attr]
            assert near or (parent is not None and parent.admin_code[:6] in ("511111", "511132"))
    # Nesting holds on the new line.
    reaches = {r.id: r for r in db.scalars(select(Reach).where(Reach.river_id == rid))}
    for r in reaches.values():
        if r.parent_id is not None:
            parent = reaches[r.parent_id]
            assert parent.from_m - 1 <= r.from_m and r.to_m <= parent.to_m + 1, r.code
    lon, lat = SHAWAN_DADU
    chain = client.get("/api/v1/responsibility", params={"lon": lon + 0.001, "lat": lat}).json()
    assert [e["level"] for e in chain["levels"]] == ["city", "county", "township", "village"]


def test_a_large_shift_reports_the_reaches_that_moved(db: Session, tmp_path: Path) -> None:
    rid = river_id(db, "大渡河")
    lower = db.scalar(
        select(Reach.id).where(Reach.river_id == rid, Reach.level == "village").limit(1)
    )
    # ~1.2 km east: beyond the river's 500 m tolerance.
    report = import_rivers(
        db,
        _shifted(db, tmp_path, "大渡河", 0.012),
        ImportOptions(accuracy_m=500.0),
        on_recut=compose().run_recut_hooks,
    )
    moved = report["reaches_moved"]
    assert moved and all(m["moved_m"] is None or m["moved_m"] > 500 for m in moved)
    levels = {m["level"] for m in moved}
    assert {"township", "village"} <= levels
    assert lower in [m["reach_id"] for m in moved]
    assert all(set(m) >= {"reach_id", "code", "level", "moved_m", "note"} for m in moved)
