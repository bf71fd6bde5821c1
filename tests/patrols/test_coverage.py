"""Coverage of a river by linear referencing, with hand-checked numbers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.patrols.conftest import gpx, river_points

START = datetime(2025, 5, 10, 1, 0, tzinfo=UTC)  # 09:00 Asia/Shanghai


def test_middle_half_of_qingyi_is_half_covered(db, upload, client, chief_of, river_id) -> None:
    """Done-when: alongside 25%-75% of 青衣江 in Leshan with 4 m noise -> 0.50 +- 0.01."""
    track = river_points(db, "青衣江", 0.25, 0.75, start=START, speed_kmh=20.0)
    data = gpx([track])
    chief = chief_of("青衣江")
    first = upload(data, chief_id=chief)
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["valid"], body["invalid_reasons"]
    qingyi = [r for r in body["rivers"] if r["river_id"] == river_id("青衣江")]
    assert qingyi and qingyi[0]["coverage"] == pytest.approx(0.50, abs=0.01), qingyi
    # 39.9 km in Leshan: half of it alongside.
    assert qingyi[0]["covered_km"] == pytest.approx(19.95, abs=0.4)
    # It crosses from 夹江县 (511126, segment of 27.89 km) into 市中区 (511102, 12.02 km):
    # 25 % of 39.91 km = 9.98 km from the top = 0.358 of the first segment; 75 % = 29.93 km =
    # 27.89 km + 0.169 of the second. So 17.92 km + 2.03 km.
    by_county = {s["county_code"]: s for s in body["segments"]}
    assert set(by_county) == {"511126", "511102"}
    assert by_county["511126"]["intervals"][0] == pytest.approx([0.358, 1.0], abs=0.005)
    assert by_county["511102"]["intervals"][0] == pytest.approx([0.0, 0.169], abs=0.005)
    assert by_county["511126"]["covered_km"] == pytest.approx(17.92, abs=0.15)
    assert by_county["511102"]["covered_km"] == pytest.approx(2.03, abs=0.15)
    assert body["length_km"] == pytest.approx(19.95, rel=0.05)
    cov = client.get("/api/v1/coverage", params={"from": "2025-01-01", "to": "2025-12-31"})
    row = next(r for r in cov.json() if r["name"] == "青衣江")
    assert row["coverage"] == pytest.approx(0.50, abs=0.01)
    assert row["patrols"] == 1
    again = upload(data, chief_id=chief)
    assert again.status_code == 200
    assert again.json()["id"] == body["id"]


def test_recut_segments_rebuilds_coverage_from_stored_tracks(
    db, upload, client, chief_of, river_id
) -> None:
    """Re-cutting 青衣江 drops its segments (and intervals); the hook matches tracks again."""
    from sqlalchemy import func, select

    import service.patrols  # noqa: F401  (the hook is registered on import)
    from service.domains import compose
    from service.patrols.models import PatrolCoverage
    from service.rivers.geography import recut_segments
    from service.rivers.models import Segment

    track = river_points(db, "青衣江", 0.25, 0.75, start=START, speed_kmh=20.0)
    assert upload(gpx([track]), chief_id=chief_of("青衣江")).status_code == 201
    qingyi = river_id("青衣江")
    old_ids = set(db.scalars(select(Segment.id).where(Segment.river_id == qingyi)))
    recut_segments(db, [qingyi], compose().run_recut_hooks)
    new_ids = set(db.scalars(select(Segment.id).where(Segment.river_id == qingyi)))
    assert new_ids and not (new_ids & old_ids)
    rebuilt = db.scalars(select(PatrolCoverage.segment_id).distinct()).all()
    assert set(rebuilt) == new_ids
    assert db.scalar(select(func.count()).select_from(PatrolCoverage)) == 2
    cov = client.get("/api/v1/coverage", params={"from": "2025-01-01", "to": "2025-12-31"})
    row = next(r for r in cov.json() if r["name"] == "青衣江")
    assert row["coverage"] == pytest.approx(0.50, abs=0.01)


def test_coverage_parameters(client, river_id) -> None:
    one = client.get("/api/v1/coverage", params={"river_id": river_id("岷江")})
    assert [r["name"] for r in one.json()] == ["岷江"]
    assert one.json()[0]["length_km"] == pytest.approx(105.48, abs=0.01)
    bad = client.get("/api/v1/coverage", params={"from": "2025-12-31", "to": "2025-01-01"})
    assert bad.status_code == 422
    assert client.get("/api/v1/coverage", params={"from": "2025-13-01"}).status_code == 422
