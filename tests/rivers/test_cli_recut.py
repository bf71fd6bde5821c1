"""`riverchief import rivers` keeps every link, run as an office runs it: the real command in a
subprocess, on a database of its own with the demo's activity (issue 13).

The bug this guards against: the command registered only some of the re-cut hooks, so
re-importing the shipped rivers left every problem without a segment. Importing the same
rivers again re-cuts their segments (new ids); everything that pointed at a segment must
point at the equivalent new one, and everything computed from segments must be unchanged.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from service.settings import REPO_ROOT, normalise_database_url
from tests.support import cli_env, scratch_database

pytestmark = pytest.mark.slow

RIVERS = REPO_ROOT / "gis_data" / "leshan" / "rivers.geojson"

#: What must survive a re-cut, each as rows that do not name segment ids (those change):
#: the segment a row points at is described by (river, order along the river, county).
SNAPSHOTS = {
    "problems with a segment": """
        SELECT p.id, s.river_id, s.ord, s.county_code FROM problem p
        JOIN segment s ON s.id = p.segment_id ORDER BY p.id""",
    "problems without a segment": "SELECT id FROM problem WHERE segment_id IS NULL ORDER BY id",
    "segment-level health assessments": """
        SELECT h.id, s.river_id, s.county_code FROM health_assessment h
        JOIN segment s ON s.id = h.segment_id ORDER BY h.id""",
    "covered length per patrol and river, mm": """
        SELECT pc.patrol_id, s.river_id,
               round(sum((pc.end_frac - pc.start_frac) * s.length_m) * 1000) AS covered_mm
        FROM patrol_coverage pc JOIN segment s ON s.id = pc.segment_id
        GROUP BY pc.patrol_id, s.river_id ORDER BY 1, 2""",
    "valid patrols": "SELECT id, valid FROM patrol ORDER BY id",
    "crossings": """
        SELECT river_id, seq, direction, neighbor_code, round(length_m) FROM crossing
        ORDER BY 1, 2""",
}


def riverchief(url: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "service.cli", *args],
        env=cli_env(url),
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"riverchief {' '.join(args)}: {done.stderr[-2000:]}"
    return done.stdout


def snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    engine = create_engine(normalise_database_url(url))
    try:
        with engine.connect() as conn:
            return {k: [tuple(r) for r in conn.execute(text(q))] for k, q in SNAPSHOTS.items()}
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def demo_database() -> Iterator[str]:
    """The demo with its activity, loaded by the command line, plus one segment-level health
    assessment (the demo has none)."""
    with scratch_database("rc_cli_recut") as url:
        riverchief(url, "db", "upgrade")
        riverchief(url, "load-demo")
        engine = create_engine(normalise_database_url(url))
        with engine.begin() as conn:
            conn.execute(
                text(
                    """
                    UPDATE health_assessment h SET segment_id = s.id, county_code = s.county_code
                    FROM segment s
                    WHERE h.id = (SELECT min(id) FROM health_assessment)
                      AND s.id = (SELECT id FROM segment WHERE river_id = h.river_id
                                  ORDER BY length_m DESC LIMIT 1)
                    """
                )
            )
        engine.dispose()
        yield url


def test_import_rivers_keeps_every_link(demo_database: str) -> None:
    before = snapshot(demo_database)
    # The demo really has what the command must keep (a test on empty tables proves nothing).
    assert len(before["problems with a segment"]) >= 100
    assert len(before["segment-level health assessments"]) == 1
    assert len(before["covered length per patrol and river, mm"]) >= 100
    assert len(before["crossings"]) >= 4
    engine = create_engine(normalise_database_url(demo_database))
    with engine.connect() as conn:
        old_segments = set(conn.scalars(text("SELECT id FROM segment")))

    out = riverchief(demo_database, "import", "rivers", str(RIVERS), "--accuracy-m", "500")
    assert '"rivers_added": 0' in out  # the same rivers, updated in place

    with engine.connect() as conn:
        new_segments = set(conn.scalars(text("SELECT id FROM segment")))
    engine.dispose()
    assert new_segments and not new_segments & old_segments  # really re-cut: all new ids
    after = snapshot(demo_database)
    for what in SNAPSHOTS:
        assert after[what] == before[what], what
