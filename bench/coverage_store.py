"""Coverage before and after the coverage store (issue 22), side by side, in one run.

Run by hand (not in CI), under ``nice -n 10``::

    RIVERCHIEF_BENCH_SERVER=postgresql://postgres@127.0.0.1:54455 \\
        nice -n 10 .venv/bin/python bench/coverage_store.py --sizes 10000,100000,300000,1000000

"Before" is the query the service ran until issue 22, kept as the named baseline
(``service/sql/coverage_rivers_recompute.sql``, ``coverage_segments_recompute.sql`` and the
tiles' whole-period merge ``tile_segment_coverage.sql``): the merge of every stored interval of
the period on each read. "After" reads the store (``coverage_rivers.sql`` etc.).

Geography: the synthetic province (``riverchief demo province``: ~29,000 segments, 130
counties in 18 cities) in its own database ``rc22_coverage``. Patrols and their intervals are
synthesised in SQL (service/province/patrols.sql) with the store's triggers off, then the store
is rebuilt (``riverchief coverage rebuild``'s function: its time is reported); ingesting a
million tracks is not what is measured. At each size:

- year coverage of every river (``coverage_rivers``), and of one city (the busiest, by a
  county-code prefix: before, the recompute limited to that city's segments);
- ``GET /api/v1/coverage`` for the year, in process (TestClient, read cache off), the route
  calling the baseline function (before) or the store's (after);
- the first segments tile after an upload: one more synthetic patrol committed (triggers on),
  then its segment's z10 tile rendered. Before: the whole-period merge the first tile after any
  change paid (once per worker), plus the render; after: the render alone (the upload bumped
  only its segments' versions, so every other tile stays cached);

and once, on a throwaway Leshan database (demo geography and roster): the upload of a
1,000-point track (``POST /api/v1/patrols``, rolled back), with the store's triggers disabled
in the transaction (before) and enabled (after), alternating.

Times are medians of ``--runs`` after one warm-up, JIT off and custom plans, as the service
runs them.
"""

# ruff: noqa: B023  (each closure is timed right where it is made, in its own loop turn)
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _servers import db_url

DATABASE = "rc22_coverage"
YEAR = 2026
YEAR_FROM, YEAR_TO = date(YEAR, 1, 1), date(YEAR, 12, 31)
COVERAGE_TRIGGERS = (
    ("patrol_coverage", "trg_coverage_on_intervals_insert"),
    ("patrol_coverage", "trg_coverage_on_intervals_delete"),
    ("patrol_coverage", "trg_coverage_on_intervals_update"),
    ("patrol", "trg_coverage_on_patrols_update"),
    ("patrol", "trg_coverage_on_patrols_delete"),
)


def median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def paired_ms(
    before: Callable[[], object], after: Callable[[], object], runs: int
) -> tuple[float, float]:
    """Medians of ``runs`` alternating calls (after, then before), after one warm-up of each:
    both meet the same machine load and caches."""
    after()
    before()
    b_times, a_times = [], []
    for _ in range(runs):
        for fn, times in ((after, a_times), (before, b_times)):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
    return statistics.median(b_times) * 1000, statistics.median(a_times) * 1000


def baseline_city_sql() -> Any:
    """The recompute limited to the segments of counties under ``:county_prefix``."""
    from service.sql import load_sql

    sql = load_sql("coverage_rivers_recompute").text
    anchor = "AND p.patrol_date BETWEEN :date_from AND :date_to\n"
    assert anchor in sql
    sql = sql.replace(
        anchor,
        anchor + "      AND pc.segment_id IN (SELECT id FROM segment "
        "WHERE county_code LIKE CAST(:county_prefix AS text) || '%')\n",
        1,
    )
    sql = sql.replace(
        "SELECT river_id, sum(length_m) AS length_m FROM segment GROUP BY river_id",
        "SELECT river_id, sum(length_m) AS length_m FROM segment "
        "WHERE county_code LIKE CAST(:county_prefix AS text) || '%' GROUP BY river_id",
    )
    return text(sql)


def baseline_river_coverage(  # type: ignore[no-untyped-def]
    session: Any, date_from: date, date_to: date, river_id: Any = None, county_prefix: Any = None
):
    """``river_coverage`` as it was before the store (the recompute), same rows out; the GET
    measured here has no county filter."""
    assert county_prefix is None, "the baseline recompute has no county filter"
    from service.patrols.coverage import coverage_rows
    from service.patrols.matching import no_jit
    from service.sql import load_sql

    no_jit(session)
    rows = session.execute(
        load_sql("coverage_rivers_recompute"),
        {"date_from": date_from, "date_to": date_to, "river_id": river_id},
    ).all()
    return coverage_rows(rows)


def province_rows(sizes: list[int], runs: int) -> list[dict[str, Any]]:
    from fastapi.testclient import TestClient
    from sqlalchemy.orm import Session

    import service.patrols.coverage as coverage_q
    from service.coverage.store import period_pieces, rebuild
    from service.db import get_session
    from service.main import create_app
    from service.province.generate import ProvinceSpec, add_patrols, build_province
    from service.settings import get_settings
    from service.sql import load_sql
    from service.tiles.boxes import segment_boxes
    from service.tiles.queries import TileRequest, _coverage_statement, render_tile

    url = db_url(DATABASE)
    build_province(url, ProvinceSpec(), patrols=0)
    engine = create_engine(
        url.replace("postgresql://", "postgresql+psycopg://"),
        connect_args={"prepare_threshold": None},
    )
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE patrol_coverage, patrol, patrol_upload CASCADE"))
        city = conn.execute(
            text(
                "SELECT left(county_code, 4) FROM segment GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
            )
        ).scalar_one()
    settings = get_settings()
    settings.read_cache_ttl_s = 0.0
    app = create_app()

    def session_override():  # type: ignore[no-untyped-def]
        with Session(engine) as s:
            yield s

    app.dependency_overrides[get_session] = session_override
    client = TestClient(app)
    year_params = {"date_from": YEAR_FROM, "date_to": YEAR_TO, "river_id": None}
    pieces = period_pieces(YEAR_FROM, YEAR_TO).params()
    out = []
    have = 0
    for size in sizes:
        started = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(text("SET LOCAL session_replication_role = replica"))  # no triggers
            add_patrols(conn, size - have, YEAR, seed=0.1 + size / 1e7)
        load_s = time.perf_counter() - started
        started = time.perf_counter()
        with Session(engine) as s:
            rebuild(s)
            s.commit()
        rebuild_s = time.perf_counter() - started
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(
                text(
                    "VACUUM ANALYZE patrol, patrol_coverage, coverage_segment_period, "
                    "coverage_river_period"
                )
            )
        have = size
        row: dict[str, Any] = {"patrols": size, "load_s": load_s, "rebuild_s": rebuild_s}
        with engine.connect() as conn:
            conn.execute(text("SET jit = off"))
            conn.execute(text("SET plan_cache_mode = force_custom_plan"))
            row["intervals"] = conn.execute(text("SELECT count(*) FROM patrol_coverage")).scalar()
            row["store_rows"] = conn.execute(
                text("SELECT count(*) FROM coverage_segment_period")
            ).scalar()
            before_sql, after_sql = (
                load_sql("coverage_rivers_recompute"),
                load_sql("coverage_rivers"),
            )
            row["rivers_before"], row["rivers_after"] = paired_ms(
                lambda: conn.execute(before_sql, year_params).all(),
                lambda: conn.execute(
                    after_sql, {**pieces, "river_id": None, "county_prefix": None}
                ).all(),
                runs,
            )
            city_sql = baseline_city_sql()
            row["city_before"], row["city_after"] = paired_ms(
                lambda: conn.execute(city_sql, {**year_params, "county_prefix": city}).all(),
                lambda: conn.execute(
                    after_sql, {**pieces, "river_id": None, "county_prefix": city}
                ).all(),
                runs,
            )
        # GET /api/v1/coverage for the year, whole stack in process
        query = {"from": YEAR_FROM.isoformat(), "to": YEAR_TO.isoformat()}

        def get() -> None:
            response = client.get("/api/v1/coverage", params=query)
            assert response.status_code == 200, response.text

        real = coverage_q.river_coverage

        def get_before() -> None:
            coverage_q.river_coverage = baseline_river_coverage  # type: ignore[assignment]
            try:
                get()
            finally:
                coverage_q.river_coverage = real

        row["api_before"], row["api_after"] = paired_ms(get_before, get, runs)
        # the first segments tile after an upload
        with engine.begin() as conn:
            add_patrols(conn, 1, YEAR, seed=0.77 + size / 1e7)  # triggers on: the store follows
        with engine.connect() as conn:
            conn.execute(text("SET jit = off"))
            seg = conn.execute(
                text(
                    "SELECT pc.segment_id, ST_X(ST_Centroid(s.geom)) AS x, "
                    "ST_Y(ST_Centroid(s.geom)) AS y FROM patrol_coverage pc "
                    "JOIN segment s ON s.id = pc.segment_id "
                    "WHERE pc.patrol_id = (SELECT max(id) FROM patrol) LIMIT 1"
                )
            ).one()
            z = 10
            import math

            tx = int((seg.x + 180.0) / 360.0 * 2**z)
            lat = math.radians(seg.y)
            ty = int((1.0 - math.asinh(math.tan(lat)) / math.pi) / 2.0 * 2**z)
            tile = TileRequest("segments", z, tx, ty, YEAR_FROM, YEAR_TO)
            segment_boxes.load(conn)
            srid = settings.metric_srid
            cov = _coverage_statement()
            cov_params = {**year_params, "srid": srid}

            def before() -> None:
                conn.execute(cov, cov_params).all()
                render_tile(conn, tile, 0, srid)

            row["tile_before"] = median_ms(before, max(1, runs // 2))
            row["tile_after"] = median_ms(lambda: render_tile(conn, tile, 0, srid), runs)
            row["tile"] = f"{z}/{tx}/{ty}"
        out.append(row)
        print(
            f"{size:>9,} patrols: rivers {row['rivers_before']:,.0f} → "
            f"{row['rivers_after']:,.1f} ms,"
            f" city {row['city_before']:,.0f} → {row['city_after']:,.1f} ms,"
            f" GET {row['api_before']:,.0f} → {row['api_after']:,.0f} ms,"
            f" tile {row['tile_before']:,.0f} → {row['tile_after']:,.1f} ms"
            f" (load {load_s:.0f} s, rebuild {rebuild_s:.1f} s)",
            flush=True,
        )
    client.close()
    engine.dispose()
    return out


def upload_rows(points: int, runs: int) -> dict[str, float]:
    """Upload of a ``points``-point track on Leshan: store triggers off (before) and on."""
    from fastapi.testclient import TestClient
    from patrols_bench import big_gpx
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from service.auth.models import UserAccount
    from service.auth.tokens import issue_token
    from service.db import get_session
    from service.demo.load import load_demo
    from service.domains import compose
    from service.main import create_app
    from service.migrate import upgrade
    from service.officials.models import Official

    admin = create_engine(db_url("postgres"), isolation_level="AUTOCOMMIT")
    name = f"rc22_upload_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = db_url(name).replace("postgresql://", "postgresql+psycopg://")
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            upgrade(conn)
        with Session(engine) as s:
            load_demo(s, compose(), activity=False, progress=False)
        with Session(engine) as s:
            data = big_gpx(s, points)
            office = s.scalar(select(UserAccount).where(UserAccount.username == "office"))
            chief = s.scalar(select(Official.id).where(Official.name == "刘建平"))
            assert office is not None and chief is not None
            headers = {"Authorization": f"Bearer {issue_token(office.id, office.token_version)}"}

        def ingest(store: bool) -> float:
            connection = engine.connect()
            outer = connection.begin()
            session = Session(bind=connection, join_transaction_mode="create_savepoint")
            if not store:
                for table, trigger in COVERAGE_TRIGGERS:
                    session.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}"))
            app = create_app()
            app.dependency_overrides[get_session] = lambda: session
            try:
                with TestClient(app) as client:
                    started = time.perf_counter()
                    r = client.post(
                        "/api/v1/patrols",
                        headers=headers,
                        data={"chief_id": chief},
                        files={"file": ("t.gpx", data, "application/gpx+xml")},
                    )
                    took = time.perf_counter() - started
                assert r.status_code == 201, r.text
                stored = session.execute(
                    text("SELECT count(*) FROM coverage_segment_period")
                ).scalar_one()
                assert (stored > 0) == store, stored
            finally:
                session.close()
                outer.rollback()
                connection.close()
            return took * 1000

        ingest(True), ingest(False)  # warm-up
        before, after = [], []
        for _ in range(runs):
            before.append(ingest(False))
            after.append(ingest(True))
        return {
            "upload_before": statistics.median(before),
            "upload_after": statistics.median(after),
        }
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def map_rows(runs: int) -> dict[str, float]:
    """The map's first render on the province database, GeoJSON layers (before: tile mode
    off) against vector tiles (after), in Debian's headless Chromium without a GPU: navigation
    start to the page's ``riverchief-ready`` mark and, in tile mode, the first segments painted
    from tiles (whichever is later)."""
    from _servers import server
    from playwright.sync_api import sync_playwright

    argv = [sys.executable, "-m", "uvicorn", "service.main:create_app", "--factory",
            "--host", "127.0.0.1", "--port", "{port}", "--log-level", "warning"]  # fmt: skip
    base_env = {"DATABASE_URL": db_url(DATABASE), "RIVERCHIEF_ENV": "development",
                "RIVERCHIEF_BASEMAP": "none"}  # fmt: skip
    out: dict[str, float] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=["--no-sandbox", "--disable-gpu"],
        )
        try:
            for label, threshold in (("map_before", "1000000000"), ("map_after", "5000")):
                env = {**base_env, "RIVERCHIEF_MAP_TILE_MODE_SEGMENTS": threshold}
                with server(argv, env, "/healthz") as base:
                    times = []
                    for i in range(runs + 1):
                        ctx = browser.new_context(
                            viewport={"width": 1280, "height": 800}, service_workers="block"
                        )
                        page = ctx.new_page()
                        page.goto(base, timeout=180_000)
                        page.wait_for_selector("body[data-ready='1']", timeout=180_000)
                        if threshold != "1000000000":
                            page.wait_for_function(
                                "() => (window.riverchiefTiles?.segments ?? 0) > 0", timeout=60_000
                            )
                        ms = page.evaluate(
                            "Math.max(performance.getEntriesByName('riverchief-ready')[0].startTime,"
                            " performance.now() * (window.riverchiefTiles ? 1 : 0))"
                        )
                        ctx.close()
                        if i:  # the first load warms the server
                            times.append(float(ms))
                    out[label] = statistics.median(times)
                    print(f"{label}: {out[label]:,.0f} ms (median of {runs})", flush=True)
        finally:
            browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,300000,1000000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--points", type=int, default=1000)
    parser.add_argument(
        "--only-map", action="store_true", help="only the map's first render (province as is)"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    os.environ.setdefault("RIVERCHIEF_ENV", "development")
    os.environ.setdefault("RIVERCHIEF_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    os.environ.setdefault("DATABASE_URL", db_url(DATABASE))
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load_before = os.getloadavg()[0]
    if args.only_map:
        found = map_rows(args.runs)
        print(
            f"| map first render (province) | {found['map_before']:,.0f} | "
            f"{found['map_after']:,.0f} | ≤ 2,000 ms | "
            f"{'✔' if found['map_after'] <= 2000 else '✘'} |"
        )
        print(
            f"run {started}; load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
        )
        return
    up = upload_rows(args.points, args.runs)
    print(
        f"upload of a {args.points}-point track: {up['upload_before']:.0f} → "
        f"{up['upload_after']:.0f} ms",
        flush=True,
    )
    rows = province_rows(sizes, args.runs)
    # the map's first render, on the province as the last size left it: same run, same table
    drawn = map_rows(args.runs)
    print(
        f"\nrun {started}; load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after (2 cores)\n"
    )
    last = rows[-1]
    by_size = {r["patrols"]: r for r in rows}
    small = by_size.get(10_000)
    big = by_size.get(300_000)
    print("| measure | at | before ms | after ms | before/after | target | met |")
    print("|---|---|---|---|---|---|---|")

    def line(measure: str, at: str, b: float, a: float, target: str, met: bool) -> None:
        print(
            f"| {measure} | {at} | {b:,.1f} | {a:,.1f} | {b / a:,.1f}× | {target} | "
            f"{'✔' if met else '✘'} |"
        )

    at = f"{last['patrols']:,} patrols"
    line(
        "year coverage, every river",
        at,
        last["rivers_before"],
        last["rivers_after"],
        "≤ 200 ms",
        last["rivers_after"] <= 200,
    )
    line(
        "year coverage, one city",
        at,
        last["city_before"],
        last["city_after"],
        "≤ 20 ms",
        last["city_after"] <= 20,
    )
    if small and big:
        for label, key in (("before", "api_before"), ("after", "api_after")):
            ratio = big[key] / small[key]
            print(
                f"| GET /api/v1/coverage (year), {label}: 300k / 10k | "
                f"{small[key]:,.0f} ms → {big[key]:,.0f} ms | | | {ratio:.1f}× | ≤ 2× | "
                f"{'✔' if ratio <= 2 else '✘'} |"
            )
    line(
        "first segments tile after an upload",
        at,
        last["tile_before"],
        last["tile_after"],
        "≤ 100 ms",
        last["tile_after"] <= 100,
    )
    line(
        "map first render on the province (Chromium)",
        f"{last['patrols']:,} patrols",
        drawn["map_before"],
        drawn["map_after"],
        "≤ 2,000 ms",
        drawn["map_after"] <= 2000,
    )
    ratio = up["upload_after"] / up["upload_before"]
    print(
        f"| upload of a {args.points:,}-point track (Leshan) | | {up['upload_before']:,.0f} | "
        f"{up['upload_after']:,.0f} | after/before {ratio:.2f}× | ≤ 1.2× | "
        f"{'✔' if ratio <= 1.2 else '✘'} |"
    )
    print(
        "\n| patrols | intervals | store rows | rebuild s | rivers before / after ms | "
        "city before / after ms | GET before / after ms | tile before / after ms |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['patrols']:,} | {r['intervals']:,} | {r['store_rows']:,} | "
            f"{r['rebuild_s']:.1f} | {r['rivers_before']:,.0f} / {r['rivers_after']:,.1f} | "
            f"{r['city_before']:,.0f} / {r['city_after']:,.1f} | "
            f"{r['api_before']:,.0f} / {r['api_after']:,.0f} | "
            f"{r['tile_before']:,.0f} / {r['tile_after']:,.1f} |"
        )


if __name__ == "__main__":
    main()
