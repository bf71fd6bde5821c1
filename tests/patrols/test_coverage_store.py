"""The coverage store (issue 22): kept up to date on write, equal to a full recompute.

The full recompute is the query the service ran before the store
(``service/sql/coverage_rivers_recompute.sql``, ``coverage_segments_recompute.sql``): the merge
of every stored interval of the period. ``check`` compares every stored day, month and year
of every segment and river with the same merge.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from service.coverage import sync
from service.coverage.store import check, period_pieces, rebuild
from service.patrols.coverage import covered_pieces, river_coverage
from service.settings import get_settings
from service.sql import load_sql
from tests.patrols.conftest import gpx, river_points

START = datetime(2025, 5, 10, 1, 0, tzinfo=UTC)
TOLERANCE = 1e-9  # of a river's (segment's) length


def test_period_pieces_cover_the_period_exactly_once() -> None:
    assert period_pieces(date(2026, 1, 1), date(2026, 12, 31)).grains == ["y"]
    ytd = period_pieces(date(2026, 1, 1), date(2026, 12, 2))
    assert ytd.grains == ["m"] * 11 + ["d", "d"]
    odd = period_pieces(date(2024, 12, 30), date(2026, 3, 2))
    assert odd.grains == ["d", "d", "y", "m", "m", "d", "d"]
    rng = random.Random(7)
    for _ in range(200):
        start = date(2024, 1, 1) + timedelta(days=rng.randrange(900))
        end = start + timedelta(days=rng.randrange(800))
        pieces = period_pieces(start, end)
        days: list[date] = []
        for grain, first in zip(pieces.grains, pieces.starts, strict=True):
            last = {
                "d": first,
                "m": (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1),
                "y": date(first.year, 12, 31),
            }[grain]
            days.extend(first + timedelta(days=i) for i in range((last - first).days + 1))
        assert days == [start + timedelta(days=i) for i in range((end - start).days + 1)]


def _recomputed_rivers(db: Session, start: date, end: date) -> dict[int, Any]:
    rows = db.execute(
        load_sql("coverage_rivers_recompute"),
        {"date_from": start, "date_to": end, "river_id": None},
    ).all()
    return {r.river_id: r for r in rows}


def _recomputed_pieces(db: Session, start: date, end: date) -> list[tuple[int, bool, float, float]]:
    rows = db.execute(
        load_sql("coverage_segments_recompute"),
        {"date_from": start, "date_to": end, "river_id": None, "srid": get_settings().metric_srid},
    ).all()
    return [(r.segment_id, bool(r.covered), r.start_frac, r.end_frac) for r in rows]


def assert_reads_equal_recompute(db: Session, start: date, end: date) -> None:
    """/api/v1/coverage's rows and the map's pieces from the store equal the full recompute."""
    full = _recomputed_rivers(db, start, end)
    stored = {r.river_id: r for r in river_coverage(db, start, end)}
    assert set(stored) == set(full)
    raw = db.execute(
        load_sql("coverage_rivers"),
        {**period_pieces(start, end).params(), "river_id": None, "county_prefix": None},
    ).all()
    for r in raw:
        want = full[r.river_id]
        assert abs(r.covered_m - want.covered_m) <= TOLERANCE * want.length_m, (start, end, r)
        assert int(r.patrols) == int(want.patrols), (start, end, r.river_id)
    for river_id in list(full)[:3]:  # one river: its own segments' rows
        (one,) = river_coverage(db, start, end, river_id)
        want = full[river_id]
        assert one.covered_km == pytest.approx(want.covered_m / 1000.0, abs=1e-3)
        assert one.patrols == int(want.patrols)
    pieces = [
        (p.segment_id, p.covered, p.start_frac, p.end_frac) for p in covered_pieces(db, start, end)
    ]
    want_pieces = _recomputed_pieces(db, start, end)
    assert len(pieces) == len(want_pieces), (start, end)
    for got, want in zip(pieces, want_pieces, strict=True):
        assert got[:2] == want[:2]
        assert got[2] == pytest.approx(want[2], abs=1e-6)  # pieces are rounded to 1e-6
        assert got[3] == pytest.approx(want[3], abs=1e-6)
    assert_county_read_equals_recompute(db, start, end, want_pieces)


def assert_county_read_equals_recompute(
    db: Session, start: date, end: date, want_pieces: list[tuple[int, bool, float, float]]
) -> None:
    """A city's read (per-county totals for one piece, its segments' rows otherwise) equals
    the recompute's covered pieces of the city's segments."""
    segments = {
        int(r.id): r
        for r in db.execute(text("SELECT id, river_id, county_code, length_m FROM segment"))
    }
    city = min(r.county_code for r in segments.values())[:4]
    want: dict[int, float] = {}
    for seg, covered, a, b in want_pieces:
        s = segments[seg]
        if s.county_code.startswith(city):
            want[s.river_id] = want.get(s.river_id, 0.0) + (b - a) * s.length_m * covered
    got = db.execute(
        load_sql("coverage_rivers"),
        {**period_pieces(start, end).params(), "river_id": None, "county_prefix": city},
    ).all()
    assert {r.river_id for r in got} == set(want), (start, end, city)
    for r in got:  # the recompute's pieces are rounded to 1e-6 of the segment
        assert abs(r.covered_m - want[r.river_id]) <= 1e-5 * r.length_m, (start, end, r)


class World:
    """Synthetic patrols written as the matcher and the office write them (SQL), so every
    write goes through the store's triggers; ``upload``/``void`` also use the real API. On
    Citus (no triggers there) each write notes what it changed, as the service's writers do
    (``service.coverage.sync``), and a read first refreshes the store as a commit would."""

    def __init__(self, db: Session, rng: random.Random) -> None:
        self.db = db
        self.rng = rng
        self.chief = db.execute(text("SELECT min(id) FROM official")).scalar_one()
        self.n = 0

    def segments(self) -> list[tuple[int, int]]:
        return [tuple(r) for r in self.db.execute(text("SELECT id, river_id FROM segment"))]

    def patrols(self) -> list[int]:
        return list(self.db.scalars(text("SELECT id FROM patrol ORDER BY id")))

    def add_patrol(self) -> int:
        self.n += 1
        sha = f"c{self.rng.getrandbits(200):063x}"[:64]
        day = date(2025, 11, 1) + timedelta(days=self.rng.randrange(120))  # across a new year
        self.db.execute(
            text(
                "INSERT INTO patrol_upload (sha256, size_bytes, data, region_code) "
                "VALUES (:sha, 0, '', '511100')"
            ),
            {"sha": sha},
        )
        pid = self.db.execute(
            text(
                "INSERT INTO patrol (chief_id, upload_sha256, format, datum, patrol_date, "
                "has_times, length_m, points, warnings, cleaning, valid, invalid_reasons, "
                "is_synthetic, geom, region_code) VALUES (:chief, :sha, 'gpx', 'wgs84', :day, "
                "true, 1000, 2, '{}', '{}', false, '{}', true, "
                "'SRID=4326;MULTILINESTRINGM((103 30 0,103.01 30 60))'::geometry, '511100') "
                "RETURNING id"
            ),
            {"chief": self.chief, "sha": sha, "day": day},
        ).scalar_one()
        segs = self.rng.sample(self.segments(), self.rng.randint(1, 3))
        for seg, _river in segs:
            edges = sorted(self.rng.random() for _ in range(2 * self.rng.randint(1, 2)))
            for a, b in zip(edges[::2], edges[1::2], strict=True):
                if b > a:
                    self.db.execute(
                        text(
                            "INSERT INTO patrol_coverage (patrol_id, segment_id, start_frac, "
                            "end_frac, region_code) VALUES (:p, :s, :a, :b, '511100')"
                        ),
                        {"p": pid, "s": seg, "a": a, "b": b},
                    )
        # judged after matching, as an upload is
        self.db.execute(
            text("UPDATE patrol SET valid = :v WHERE id = :p"),
            {"v": self.rng.random() < 0.8, "p": pid},
        )
        sync.note_patrols(self.db, [pid])
        return int(pid)

    def void(self) -> None:
        ids = self.patrols()
        if ids:
            pid = self.rng.choice(ids)
            self.db.execute(
                text(
                    "UPDATE patrol SET voided_at = now(), void_reason = 'test' "
                    "WHERE id = :p AND voided_at IS NULL"
                ),
                {"p": pid},
            )
            sync.note_patrols(self.db, [pid])

    def flip_validity(self) -> None:
        ids = self.patrols()
        if ids:
            pid = self.rng.choice(ids)
            self.db.execute(text("UPDATE patrol SET valid = NOT valid WHERE id = :p"), {"p": pid})
            sync.note_patrols(self.db, [pid])

    def move_day(self) -> None:
        ids = self.patrols()
        if ids:
            pid = self.rng.choice(ids)
            sync.note_current_keys(self.db, [pid])
            self.db.execute(
                text("UPDATE patrol SET patrol_date = patrol_date + :d WHERE id = :p"),
                {"p": pid, "d": self.rng.randint(-40, 40)},
            )
            sync.note_patrols(self.db, [pid])

    def rematch(self) -> None:
        """A patrol's intervals replaced (as match_patrols does: delete, insert)."""
        ids = self.patrols()
        if not ids:
            return
        pid = self.rng.choice(ids)
        removed = self.db.execute(
            text(
                "DELETE FROM patrol_coverage WHERE patrol_id = :p RETURNING segment_id, patrol_id"
            ),
            {"p": pid},
        ).all()
        sync.note_removed_intervals(self.db, removed)
        sync.note_patrols(self.db, [pid])
        seg, _ = self.rng.choice(self.segments())
        a = self.rng.random() * 0.5
        self.db.execute(
            text(
                "INSERT INTO patrol_coverage (patrol_id, segment_id, start_frac, end_frac, "
                "region_code) VALUES (:p, :s, :a, :b, '511100')"
            ),
            {"p": pid, "s": seg, "a": a, "b": a + 0.3},
        )

    def delete_patrol(self) -> None:
        ids = self.patrols()
        if ids:
            pid = self.rng.choice(ids)
            sync.note_current_keys(self.db, [pid])
            self.db.execute(text("DELETE FROM patrol WHERE id = :p"), {"p": pid})

    def recut(self) -> None:
        from service.domains import compose
        from service.rivers.geography import recut_segments

        river = self.rng.choice(sorted({r for _s, r in self.segments()}))
        recut_segments(self.db, [river], compose().run_recut_hooks)

    def read(self) -> None:
        sync.refresh_pending(self.db)
        whole = [  # one stored piece: read from the rivers' totals
            (date(2025, 1, 1), date(2025, 12, 31)),
            (date(2026, 1, 1), date(2026, 12, 31)),
            (date(2025, 12, 1), date(2025, 12, 31)),
        ]
        if self.rng.random() < 0.4:
            start, end = self.rng.choice(whole)
        else:
            start = date(2025, 10, 1) + timedelta(days=self.rng.randrange(150))
            end = start + timedelta(days=self.rng.randrange(120))
        assert_reads_equal_recompute(self.db, start, end)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_writes_keep_the_store_equal_to_a_full_recompute(db: Session, seed: int) -> None:
    """Random uploads, voids, validity changes, re-dated and re-matched patrols, deletions,
    re-cuts and reads in any order: every read equals the full recompute (1e-9 of the length),
    and at the end every stored row does."""
    rng = random.Random(seed)
    world = World(db, rng)
    for _ in range(6):
        world.add_patrol()
    ops = [
        (world.add_patrol, 8),
        (world.void, 2),
        (world.flip_validity, 3),
        (world.move_day, 2),
        (world.rematch, 2),
        (world.delete_patrol, 1),
        (world.read, 3),
    ]
    steps = [op for op, weight in ops for _ in range(weight)]
    for i in range(40):
        if i == 20 and seed == 1:
            world.recut()  # one re-cut per run: it re-matches and re-judges every patrol
        else:
            rng.choice(steps)()
    world.read()
    sync.refresh_pending(db)
    assert check(db) == []


def test_check_finds_a_wrong_store_and_rebuild_repairs_it(db: Session) -> None:
    world = World(db, random.Random(11))
    for _ in range(8):
        world.add_patrol()
    db.execute(text("UPDATE patrol SET valid = true"))
    sync.note_patrols(db, world.patrols())
    sync.refresh_pending(db)
    assert check(db) == []
    db.execute(
        text(
            "DELETE FROM coverage_segment_period WHERE ctid = "
            "(SELECT ctid FROM coverage_segment_period WHERE grain = 'd' LIMIT 1)"
        )
    )
    db.execute(text("UPDATE coverage_river_period SET patrols = patrols + 1 WHERE grain = 'y'"))
    found = check(db)
    assert {m.kind for m in found} == {"segment", "river"}
    report = rebuild(db)
    assert report["days"] > 0 and report["years"] > 0
    assert check(db) == []
    assert_reads_equal_recompute(db, date(2025, 11, 1), date(2026, 2, 28))


def test_upload_and_void_update_the_store_and_only_their_segments_versions(
    db: Session, upload: Any, client: Any, chief_of: Any, auth_headers: Any
) -> None:
    versions = text("SELECT segment_id, version FROM coverage_segment_version")
    before = dict(db.execute(versions).all())
    track = river_points(db, "青衣江", 0.25, 0.75, start=START, speed_kmh=20.0)
    response = upload(gpx([track]), chief_id=chief_of("青衣江"))
    assert response.status_code == 201 and response.json()["valid"]
    pid = response.json()["id"]
    covered = set(
        db.scalars(text("SELECT segment_id FROM patrol_coverage WHERE patrol_id = :p"), {"p": pid})
    )
    stored = db.execute(
        text(
            "SELECT segment_id, grain FROM coverage_segment_period "
            "WHERE period_start IN ('2025-05-10', '2025-05-01', '2025-01-01')"
        )
    ).all()
    assert {s for s, _ in stored} == covered
    assert {g for _, g in stored} == {"d", "m", "y"}
    after = dict(db.execute(versions).all())
    bumped = {s for s, v in after.items() if before.get(s) != v}
    assert bumped == covered  # only the tiles of the segments it covered
    assert check(db) == []
    assert_reads_equal_recompute(db, date(2025, 1, 1), date(2025, 12, 31))
    voided = client.post(
        f"/api/v1/patrols/{pid}/void",
        json={"reason": "wrong chief"},
        headers=auth_headers("office"),
    )
    assert voided.status_code == 200, voided.text
    assert not db.execute(
        text("SELECT 1 FROM coverage_segment_period WHERE period_start = '2025-05-10'")
    ).all()
    assert check(db) == []


def test_coverage_commands_check_and_rebuild(database_url: str) -> None:
    """``riverchief coverage check`` exits 1 on a wrong store; ``rebuild`` repairs it."""
    import subprocess
    import sys

    from sqlalchemy import create_engine

    from service.settings import REPO_ROOT, normalise_database_url
    from tests.support import cli_env

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "service.cli", "coverage", *args],
            env=cli_env(database_url),
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
        )

    engine = create_engine(normalise_database_url(database_url))
    bogus = (
        "INSERT INTO coverage_segment_period (segment_id, grain, period_start, covered, "
        "covered_frac) SELECT min(id), 'd', '2024-02-29', '{[0.1,0.2)}', 0.1 FROM segment"
    )
    try:
        assert run("check").returncode == 0
        with engine.begin() as conn:
            conn.execute(text(bogus))  # a stored day no patrol gives
        wrong = run("check")
        assert wrong.returncode == 1 and "differ" in wrong.stderr, wrong.stderr
        assert run("rebuild").returncode == 0
        assert run("check").returncode == 0
    finally:
        with engine.begin() as conn:
            conn.execute(
                text("DELETE FROM coverage_segment_period WHERE period_start = '2024-02-29'")
            )
        engine.dispose()
