"""How the coverage query's cost grows with patrols: 10k, 100k and 1M patrols in a year.

Run by hand (not in CI): ``.venv/bin/python bench/coverage_growth.py`` (~10 minutes).

The geography is the synthetic province (``riverchief demo province``: 130 counties, ~29,000
segments) in its own database, ``rc8_coverage``. Patrols and their covered intervals are
synthesised directly in SQL (service/province/patrols.sql: 1-3 intervals each, spread over
the year) — ingesting a million GPS tracks is not what is measured. The queries are the
patrols' own before issue 22: ``coverage_rivers_recompute.sql`` (the full recompute)
and, through ``tile_segment_coverage.sql``, ``coverage_segments.sql`` (the per-segment shares
the map's segments tiles join). Each is run 3 times after a warm-up with JIT off, as the
service runs them; the median is reported, with cost per 1,000 patrols and the growth factor
against the previous size (linear growth: the factor equals the size factor, 10×).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _servers import db_url, timed

DATABASE = "rc8_coverage"
SIZES = (10_000, 100_000, 1_000_000)
YEAR = 2026


def main() -> None:
    os.environ.setdefault("RIVERCHIEF_ENV", "development")
    from service.province.generate import ProvinceSpec, add_patrols, build_province
    from service.sql import load_sql
    from service.tiles.queries import _coverage_statement

    build_province(db_url(DATABASE), ProvinceSpec(), patrols=0)
    # prepare_threshold None: psycopg would otherwise prepare a statement after 5 runs and
    # PostgreSQL may then switch to a generic plan; every timing here is a custom plan, as
    # the first requests of a fresh connection get.
    engine = create_engine(
        db_url(DATABASE).replace("postgresql://", "postgresql+psycopg://"),
        connect_args={"prepare_threshold": None},
    )
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE patrol_coverage, patrol, patrol_upload CASCADE"))
    params = {
        "date_from": f"{YEAR}-01-01",
        "date_to": f"{YEAR}-12-31",
        "river_id": None,
        "srid": 4507,
    }
    rows = []
    have = 0
    for size in SIZES:
        started = time.perf_counter()
        with engine.begin() as conn:
            add_patrols(conn, size - have, YEAR, seed=0.1 + size / 1e7)
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(
                text("VACUUM ANALYZE patrol, patrol_coverage")
            )
        load_s = time.perf_counter() - started
        have = size
        with engine.connect() as conn:
            intervals = conn.execute(text("SELECT count(*) FROM patrol_coverage")).scalar_one()
            rivers_ms = timed(conn, load_sql("coverage_rivers_recompute"), params)
            segments_ms = timed(conn, _coverage_statement(), params)
        rows.append((size, intervals, rivers_ms, segments_ms, load_s))
        print(
            f"{size:>9,} patrols: rivers {rivers_ms:,.0f} ms, segments {segments_ms:,.0f} ms"
            f" (synthesised in {load_s:.0f} s)",
            flush=True,
        )
    engine.dispose()
    print(f"\nload average {os.getloadavg()[0]:.1f} (2 cores)\n")
    print(
        "| patrols | intervals | coverage_rivers ms | per 1k patrols | growth | "
        "segment shares ms | per 1k patrols | growth |"
    )
    print("|---|---|---|---|---|---|---|---|")
    previous = None
    for size, intervals, rivers_ms, segments_ms, _ in rows:
        growth = (
            ("—", "—")
            if previous is None
            else (
                f"{rivers_ms / previous[2]:.1f}× (size {size / previous[0]:.0f}×)",
                f"{segments_ms / previous[3]:.1f}×",
            )
        )
        print(
            f"| {size:,} | {intervals:,} | {rivers_ms:,.0f} | {rivers_ms / size * 1000:.2f} | "
            f"{growth[0]} | {segments_ms:,.0f} | {segments_ms / size * 1000:.2f} | "
            f"{growth[1]} |"
        )
        previous = (size, intervals, rivers_ms, segments_ms)


if __name__ == "__main__":
    main()
