"""Patrol benchmarks (run by hand, not in CI): prints ratios measured in one run.

    RIVERCHIEF_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:54339/postgres \\
        .venv/bin/python bench/patrols_bench.py [--patrols 10000] [--points 100000]

1. Ingest of a 100,000-point GPX through the app (upload -> stored -> matched and judged, via
   TestClient, in a transaction rolled back afterwards) against ``gpxpy.parse`` of the same
   bytes and a bare ``lxml.etree.fromstring``. Target: ingest faster than gpxpy's parse alone.
2. Year coverage of all rivers over N synthetic patrols: the SQL interval merge
   (``coverage_rivers.sql``) against a naive geopandas method (read the tracks, buffer each by
   the tolerance, union, intersect with the river lines). Targets: >= 20x, <= 100 ms.

A throwaway database is created on the given server (migrated, geography and roster loaded)
and dropped at the end. Each timing is the best of several runs.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def best(fn: Callable[[], object], runs: int) -> float:
    """Best wall time of ``runs`` calls, seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def make_database(server: str) -> tuple[str, Callable[[], None]]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from service.settings import normalise_database_url

    admin = create_engine(normalise_database_url(server), isolation_level="AUTOCOMMIT")
    name = f"rc_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(str(admin.url)).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        from service.db import get_engine

        get_engine().dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    return url, drop


def big_gpx(session, points: int) -> bytes:  # type: ignore[no-untyped-def]
    """``points`` fixes, 1 s apart, walking 岷江's Leshan path down and back up (GPX 1.1)."""
    from pyproj import Transformer
    from sqlalchemy import text

    wkt = session.execute(
        text(
            "SELECT ST_AsText(ST_LineMerge(ST_Collect(ST_Transform(s.geom, 4507) ORDER BY s.ord))) "
            "FROM segment s JOIN river r ON r.id = s.river_id WHERE r.name = '岷江'"
        )
    ).scalar_one()
    import shapely

    line = shapely.from_wkt(wkt)
    if line.geom_type != "LineString":
        line = max(line.geoms, key=lambda g: g.length)
    half = points // 2
    along = np.r_[np.linspace(0, line.length, half), np.linspace(line.length, 0, points - half)]
    xy = shapely.get_coordinates(shapely.line_interpolate_point(line, along))
    xy += np.random.default_rng(1).normal(0, 5.0, xy.shape) + np.array([80.0, 0.0])
    lon, lat = Transformer.from_crs(4507, 4326, always_xy=True).transform(xy[:, 0], xy[:, 1])
    start = datetime(2025, 3, 1, 0, 0, tzinfo=UTC)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<gpx version="1.1" creator="bench" xmlns="http://www.topografix.com/GPX/1/1">',
        "<trk><name>bench</name><trkseg>",
    ]
    for i, (x, y) in enumerate(zip(lon, lat, strict=True)):
        when = (start + timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        out.append(
            f'<trkpt lat="{y:.7f}" lon="{x:.7f}"><ele>{350 + i % 7}</ele>'
            f"<time>{when}</time></trkpt>"
        )
    out.append("</trkseg></trk></gpx>")
    return "\n".join(out).encode()


def bench_ingest(engine, points: int, runs: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    import gpxpy
    from fastapi.testclient import TestClient
    from lxml import etree
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from service.auth.models import UserAccount
    from service.auth.tokens import issue_token
    from service.db import get_session
    from service.main import create_app
    from service.officials.models import Official

    with Session(engine) as s:
        data = big_gpx(s, points)
        office = s.scalar(select(UserAccount).where(UserAccount.username == "office"))
        chief = s.scalar(select(Official.id).where(Official.name == "刘建平"))
        assert office is not None and chief is not None
        headers = {"Authorization": f"Bearer {issue_token(office.id, office.token_version)}"}
    print(f"GPX: {points:,} points, {len(data) / 1e6:.1f} MB")

    def ingest() -> None:
        connection = engine.connect()
        outer = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint")
        app = create_app()
        app.dependency_overrides[get_session] = lambda: session
        try:
            with TestClient(app) as client:
                r = client.post(
                    "/api/v1/patrols",
                    headers=headers,
                    data={"chief_id": chief},
                    files={"file": ("big.gpx", data, "application/gpx+xml")},
                )
            assert r.status_code == 201, r.text
            body = r.json()
            assert body["points"] == points and body["rivers"], body["invalid_reasons"]
            ingest.last = body  # type: ignore[attr-defined]
        finally:
            session.close()
            outer.rollback()
            connection.close()

    t_ingest = best(ingest, runs)
    body = ingest.last  # type: ignore[attr-defined]
    print(f"  matched: {body['rivers']}")
    t_gpxpy = best(lambda: gpxpy.parse(data.decode()), runs)
    t_lxml = best(lambda: etree.fromstring(data), runs)
    return {"ingest_s": t_ingest, "gpxpy_s": t_gpxpy, "lxml_s": t_lxml}


def seed_patrols(engine, count: int) -> int:  # type: ignore[no-untyped-def]
    """``count`` synthetic patrols in 2025 like the demo's (walk/drive, offsets, noise)."""
    from sqlalchemy.orm import Session

    from service.patrols.demo import generate

    made = 0
    with Session(engine) as s:
        while made < count:
            batch = min(1000, count - made)
            made += generate(s, 2025, batch, seed=made)["patrols"]
            s.commit()
            print(f"  seeded {made:,} patrols", flush=True)
    return made


def bench_coverage(engine, runs: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    import geopandas as gpd
    import shapely
    from sqlalchemy import text
    from sqlalchemy.orm import Session

    from service.patrols.coverage import river_coverage
    from service.patrols.schemas import CoverageRow

    with Session(engine) as s:
        ours: list[CoverageRow] = []

        def sql() -> None:
            ours[:] = river_coverage(s, date(2025, 1, 1), date(2025, 12, 31))
            s.rollback()

        t_sql = best(sql, runs)
        stats = s.execute(
            text(
                "SELECT count(*), sum(points) FROM patrol WHERE valid AND voided_at IS NULL "
                "AND patrol_date BETWEEN '2025-01-01' AND '2025-12-31'"
            )
        ).one()

    naive: dict[str, float] = {}

    def geopandas_method() -> None:
        with engine.connect() as conn:
            tracks = gpd.read_postgis(
                "SELECT id, ST_Transform(ST_Force2D(geom), 4507) AS geom FROM patrol "
                "WHERE valid AND voided_at IS NULL "
                "AND patrol_date BETWEEN '2025-01-01' AND '2025-12-31'",
                conn,
                geom_col="geom",
            )
            rivers = gpd.read_postgis(
                "SELECT r.id, r.name, r.patrol_tolerance_m AS tol, "
                "ST_Transform(ST_Collect(s.geom), 4507) AS geom FROM river r "
                "JOIN segment s ON s.river_id = r.id GROUP BY r.id",
                conn,
                geom_col="geom",
            )
        tol = float(rivers["tol"].max())
        footprint = shapely.union_all(tracks.geometry.buffer(tol).values)
        for row in rivers.itertuples():
            naive[row.name] = row.geom.intersection(footprint).length / row.geom.length

    t_naive = best(geopandas_method, max(1, runs // 5))
    for row in ours:
        print(
            f"  {row.name}: interval merge {row.coverage:.4f}, "
            f"buffer-union {naive.get(row.name, 0.0):.4f}"
        )
    print(f"  {stats[0]:,} valid patrols, {int(stats[1] or 0):,} points")
    return {"coverage_sql_s": t_sql, "coverage_naive_s": t_naive}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--patrols", type=int, default=10_000)
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", choices=("ingest", "coverage"), help="run one part only")
    args = parser.parse_args()
    server = os.environ.get(
        "RIVERCHIEF_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:54339/postgres"
    )
    url, drop = make_database(server)
    os.environ.update(DATABASE_URL=url, RIVERCHIEF_ENV="development")
    from service.db import get_engine, get_sessionmaker
    from service.demo.load import load_demo
    from service.domains import compose
    from service.migrate import upgrade

    random.seed(1)
    try:
        upgrade()
        composition = compose()
        with get_sessionmaker()() as s:
            load_demo(s, composition, activity=False, progress=False)
        engine = get_engine()
        if args.only != "coverage":
            r1 = bench_ingest(engine, args.points, max(1, args.runs // 2))
            print(
                f"ingest {r1['ingest_s']:.2f} s | gpxpy.parse {r1['gpxpy_s']:.2f} s | "
                f"lxml.fromstring {r1['lxml_s']:.3f} s"
            )
            print(
                f"  ratio gpxpy.parse / ingest = {r1['gpxpy_s'] / r1['ingest_s']:.2f}x "
                f"(target > 1); ingest / lxml = {r1['ingest_s'] / r1['lxml_s']:.1f}x"
            )
        if args.only == "ingest":
            return
        start = time.perf_counter()
        seed_patrols(engine, args.patrols)
        print(f"  seeding took {time.perf_counter() - start:.0f} s")
        r2 = bench_coverage(engine, args.runs)
        print(
            f"year coverage: SQL {r2['coverage_sql_s'] * 1000:.1f} ms | naive geopandas "
            f"{r2['coverage_naive_s']:.2f} s"
        )
        print(
            f"  ratio naive / SQL = {r2['coverage_naive_s'] / r2['coverage_sql_s']:.0f}x "
            "(target >= 20x, SQL <= 100 ms)"
        )
    finally:
        drop()


if __name__ == "__main__":
    main()
