"""Rehearsal on one machine of distributing by region: the patrols' coverage queries over
tables partitioned by region code (native LIST partitioning) against the same rows unpartitioned.

Run by hand after bench/coverage_growth.py (it reuses that database, ``rc8_coverage``, with
1M synthetic patrols over the synthetic province): ``.venv/bin/python bench/partitioning.py``.

The region code of a patrol is the city (first four digits + '00') of the first segment it
covers; its covered intervals carry the same code, so a patrol and its intervals live in the
same partition, as they would be co-located on one Citus shard. Segments and rivers stay
plain tables (Citus: reference tables). Two copies are made with identical columns and
indexes: ``flat`` (one table each, region_code indexed) and ``part`` (partitioned by
region_code, one partition per city). The patrols' own SQL files run unchanged: the schemas
are put first on the search_path, and for "one city" a schema of views restricted to one
region code stands in for a router query that Citus would send to one shard.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _servers import db_url, timed

DATABASE = "rc8_coverage"
YEAR = 2026

REGION = """
    SELECT DISTINCT ON (pc.patrol_id) pc.patrol_id, left(s.county_code, 4) || '00' AS region_code
    FROM public.patrol_coverage pc JOIN public.segment s ON s.id = pc.segment_id
    ORDER BY pc.patrol_id, pc.segment_id
"""


def build(conn: Connection) -> list[str]:
    regions = list(
        conn.execute(
            text("SELECT code FROM admin_area WHERE level = 'city' ORDER BY code")
        ).scalars()
    )
    conn.execute(text("DROP SCHEMA IF EXISTS flat, part, flat_city, part_city CASCADE"))
    conn.execute(text("CREATE SCHEMA flat"))
    conn.execute(text("CREATE SCHEMA part"))
    conn.execute(text(f"CREATE TEMP TABLE region AS {REGION}"))
    conn.execute(text("CREATE INDEX ON region (patrol_id)"))
    for schema, partitioned in (("flat", False), ("part", True)):
        tail = " PARTITION BY LIST (region_code)" if partitioned else ""
        conn.execute(
            text(
                f"CREATE TABLE {schema}.patrol "
                f"(LIKE public.patrol, region_code text NOT NULL){tail}"
            )
        )
        conn.execute(
            text(
                f"CREATE TABLE {schema}.patrol_coverage (LIKE public.patrol_coverage, "
                f"region_code text NOT NULL){tail}"
            )
        )
        if partitioned:
            for code in regions:
                for table in ("patrol", "patrol_coverage"):
                    conn.execute(
                        text(
                            f"CREATE TABLE part.{table}_{code} PARTITION OF part.{table} "
                            f"FOR VALUES IN ('{code}')"
                        )
                    )
        conn.execute(
            text(
                f"INSERT INTO {schema}.patrol SELECT p.*, r.region_code "
                f"FROM public.patrol p JOIN region r ON r.patrol_id = p.id"
            )
        )
        conn.execute(
            text(
                f"INSERT INTO {schema}.patrol_coverage SELECT pc.*, r.region_code "
                f"FROM public.patrol_coverage pc JOIN region r ON r.patrol_id = pc.patrol_id"
            )
        )
        for ddl in (
            "patrol (id)",
            "patrol (patrol_date, valid)",
            "patrol (region_code)",
            "patrol_coverage (patrol_id)",
            "patrol_coverage (segment_id)",
            "patrol_coverage (region_code)",
        ):
            conn.execute(text(f"CREATE INDEX ON {schema}.{ddl}"))
    return regions


def city_views(conn: Connection, code: str) -> None:
    """Schemas of views limited to one region: what a router query sees on its shard."""
    for schema in ("flat", "part"):
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema}_city CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}_city"))
        for table in ("patrol", "patrol_coverage"):
            conn.execute(
                text(
                    f"CREATE VIEW {schema}_city.{table} AS SELECT * FROM {schema}.{table} "
                    f"WHERE region_code = '{code}'"
                )
            )
        conn.execute(
            text(
                f"CREATE VIEW {schema}_city.segment AS SELECT * FROM public.segment "
                f"WHERE left(county_code, 4) || '00' = '{code}'"
            )
        )


def main() -> None:
    os.environ.setdefault("RIVERCHIEF_ENV", "development")
    from service.sql import load_sql
    from service.tiles.queries import _coverage_statement

    # prepare_threshold None: psycopg would otherwise prepare a statement after 5 runs and
    # PostgreSQL may then switch to a generic plan; every timing here is a custom plan, as
    # the first requests of a fresh connection get.
    engine = create_engine(
        db_url(DATABASE).replace("postgresql://", "postgresql+psycopg://"),
        connect_args={"prepare_threshold": None},
    )
    started = time.perf_counter()
    with engine.begin() as conn:
        patrols = conn.execute(text("SELECT count(*) FROM public.patrol")).scalar_one()
        if patrols < 10_000:
            raise SystemExit("run bench/coverage_growth.py first (it fills rc8_coverage)")
        regions = build(conn)
        counts = dict(
            conn.execute(text("SELECT region_code, count(*) FROM part.patrol GROUP BY 1")).all()
        )
        busiest = max(counts, key=lambda code: counts[code])
        city_views(conn, busiest)
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
    build_s = time.perf_counter() - started
    params = {
        "date_from": f"{YEAR}-01-01",
        "date_to": f"{YEAR}-12-31",
        "river_id": None,
        "srid": 4507,
    }
    queries = {
        "coverage_rivers": load_sql("coverage_rivers_recompute"),
        "segment shares (tiles)": _coverage_statement(),
    }
    rows = []
    with engine.connect() as conn:
        for name, statement in queries.items():
            whole_flat = timed(conn, statement, params, search_path="flat, public")
            whole_part = timed(conn, statement, params, search_path="part, public")
            city_flat = timed(conn, statement, params, search_path="flat_city, public")
            city_part = timed(conn, statement, params, search_path="part_city, public")
            rows.append((name, whole_flat, whole_part, city_flat, city_part))
        conn.execute(text("SET search_path = public"))
    engine.dispose()
    print(
        f"\n{patrols:,} patrols, {len(regions)} regions (cities), busiest {busiest} with "
        f"{counts[busiest]:,} patrols; copies built in {build_s:.0f} s; "
        f"load average {os.getloadavg()[0]:.1f} (2 cores)\n"
    )
    print(
        "| query | province, flat ms | province, partitioned ms | ratio | one city, flat ms |"
        " one city, partitioned ms | ratio |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, wf, wp, cf, cp in rows:
        print(
            f"| {name} | {wf:,.0f} | {wp:,.0f} | {wf / wp:.2f}× | {cf:,.0f} | {cp:,.0f} | "
            f"{cf / cp:.2f}× |"
        )


if __name__ == "__main__":
    main()
