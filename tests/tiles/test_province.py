"""`riverchief demo province`: a small synthetic province in its own throwaway database."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from service.errors import Conflict
from service.province.generate import ProvinceSpec, build_province

SMALL = ProvinceSpec(cities=3, counties=12, rivers=60, max_piece_m=6000.0)


@pytest.fixture(scope="module")
def province_url(database_url: str) -> Iterator[str]:
    name = f"rc_province_{uuid.uuid4().hex[:8]}"
    url = make_url(database_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        admin = create_engine(make_url(database_url), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_small_province(province_url: str) -> None:
    report = build_province(province_url, SMALL, patrols=200, year=2026)
    assert report["created"] and report["cities"] == 3
    assert 8 <= report["counties"] <= 16
    assert report["segments"] > report["rivers"] > 20
    assert report["patrols"] == 200 and report["coverage_intervals"] >= 200
    engine = create_engine(make_url(province_url))
    with engine.connect() as conn:
        # Segments lie in the county they are assigned to, and are about 6 km at most (cut by
        # equal fractions of degrees, so a piece's metres vary with its heading).
        stray, longest = conn.execute(
            text("""
            SELECT count(*) FILTER (WHERE NOT ST_Covers(ST_Buffer(a.geom, 1e-6), s.geom)),
                   max(s.length_m)
            FROM segment s JOIN admin_area a ON a.code = s.county_code""")
        ).one()
        assert stray == 0 and longest <= 6000 * 1.25
        # Everything is marked synthetic.
        assert (
            conn.execute(
                text("SELECT count(*) FROM river WHERE source IS DISTINCT FROM 'synthetic'")
            ).scalar()
            == 0
        )
        assert (
            conn.execute(text("SELECT bool_and(code LIKE '99%') FROM admin_area")).scalar() is True
        )
        # The patrols' coverage query runs over it.
        covered = conn.execute(
            text("SELECT count(*) FROM patrol_coverage pc JOIN segment s ON s.id = pc.segment_id")
        ).scalar()
        assert covered == report["coverage_intervals"]
    engine.dispose()
    # Idempotent: a second run keeps what is there.
    again = build_province(province_url, SMALL)
    assert not again["created"] and again["segments"] == report["segments"]


def test_refuses_the_leshan_database(database_url: str) -> None:
    with pytest.raises(Conflict, match="non-synthetic"):
        build_province(database_url, SMALL)
