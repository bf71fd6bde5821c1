"""Our vector tiles against tipg serving the same table, cold and warm, Leshan and a province.

Run by hand (not in CI), from the repo root, after ``make venv db``:

    .venv/bin/pip install -e '.[dev,bench]'   # tipg 1.6.1 (or TIPG_VENV=/path/to/a/venv)
    .venv/bin/python bench/tiles_vs_tipg.py   # ~8 minutes

Both servers run on 127.0.0.1 with the same number of uvicorn workers against the same
database; the load is wrk (Debian), 16 connections, 10 s, cycling over a fixed sample of
non-empty tiles at z10 and z12. "cold": our tile cache disabled (every request renders with
ST_AsMVT; tipg has no cache, so it is always cold); "warm": our cache holds the sample. The
per-period coverage shares that our segments layer joins are computed once per data version
before the runs (that first request is reported separately). Every comparison is a ratio
from this one run. Databases: rc8_leshan (demo geography + 2,000 synthetic patrols) and
rc8_province (``riverchief demo province``, + 100,000 synthetic patrols), created if missing.
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _servers import db_url, ours, tipg, wrk

TILES_SQL = """
WITH pts AS (
    SELECT (ST_DumpPoints(ST_Segmentize(geom, 0.005))).geom AS p FROM segment
)
SELECT DISTINCT
       floor((ST_X(p) + 180) / 360 * 2 ^ :z)::int AS x,
       floor((1 - ln(tan(radians(ST_Y(p))) + 1 / cos(radians(ST_Y(p)))) / pi()) / 2 * 2 ^ :z)::int
           AS y
FROM pts
"""


def prepare_leshan(name: str) -> None:
    from service.demo.load import load_demo
    from service.domains import compose
    from service.province.generate import add_patrols, ensure_database

    url = db_url(name)
    ensure_database(url)
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        if conn.execute(text("SELECT count(*) FROM segment")).scalar_one():
            return
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        load_demo(session, compose(), activity=False, progress=False)
        session.commit()
    with engine.begin() as conn:
        add_patrols(conn, 2000, 2026)
        conn.execute(text("ANALYZE"))
    engine.dispose()


def prepare_province(name: str) -> None:
    from service.province.generate import ProvinceSpec, build_province

    build_province(db_url(name), ProvinceSpec(), patrols=100_000, year=2026)


def sample_tiles(name: str, z: int, n: int) -> list[tuple[int, int, int]]:
    engine = create_engine(db_url(name).replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        tiles = sorted((z, x, y) for x, y in conn.execute(text(TILES_SQL), {"z": z}))
    engine.dispose()
    random.Random(8).shuffle(tiles)
    return tiles[:n]


def fetch_all(base: str, paths: list[str]) -> tuple[int, int, float]:
    """Fetch every path once: (raw bytes, gzip bytes, seconds)."""
    raw = packed = 0
    started = time.perf_counter()
    with httpx.Client(base_url=base, timeout=120) as client:
        for path in paths:
            body = client.get(path).content
            raw += len(body)
            packed += len(gzip.compress(body, 6))
    return raw, packed, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--tiles", type=int, default=200, help="sample size per zoom")
    args = parser.parse_args()
    os.environ.setdefault("RIVERCHIEF_ENV", "development")  # bench databases hold demo data
    prepare_leshan("rc8_leshan")
    prepare_province("rc8_province")
    load_before = os.getloadavg()[0]
    rows: list[str] = []
    sizes: list[str] = []
    for dataset in ("rc8_leshan", "rc8_province"):
        samples = {z: sample_tiles(dataset, z, args.tiles) for z in (10, 12)}
        ours_paths = {
            z: [f"/tiles/segments/{z}/{x}/{y}.pbf" for _, x, y in t] for z, t in samples.items()
        }
        tipg_paths = {
            z: [f"/collections/public.segment/tiles/WebMercatorQuad/{z}/{x}/{y}" for _, x, y in t]
            for z, t in samples.items()
        }
        results: dict[tuple[str, int], object] = {}
        with tipg(dataset, args.workers) as base:
            for z in (10, 12):
                raw, packed, _ = fetch_all(base, tipg_paths[z])
                sizes.append(
                    f"| {dataset} | z{z} | {len(tipg_paths[z])} | tipg | {raw:,} | {packed:,} |"
                )
                results[("tipg", z)] = wrk(base, tipg_paths[z], seconds=args.seconds)
        with ours(dataset, args.workers, cache_bytes=0) as base:
            started = time.perf_counter()
            httpx.get(base + ours_paths[10][0], timeout=120)
            first_ms = (time.perf_counter() - started) * 1000
            for _ in range(4 * args.workers):  # every worker computes its period coverage once
                httpx.get(base + ours_paths[10][0], timeout=120)
            for z in (10, 12):
                raw, packed, _ = fetch_all(base, ours_paths[z])
                sizes.append(
                    f"| {dataset} | z{z} | {len(ours_paths[z])} | ours | {raw:,} | {packed:,} |"
                )
                results[("cold", z)] = wrk(base, ours_paths[z], seconds=args.seconds)
        with ours(dataset, args.workers) as base:
            for z in (10, 12):
                for _ in range(2 * args.workers):  # fill every worker's cache
                    fetch_all(base, ours_paths[z])
                results[("warm", z)] = wrk(base, ours_paths[z], seconds=args.seconds)
        for z in (10, 12):
            t = results[("tipg", z)]
            for mode in ("tipg", "cold", "warm"):
                r = results[(mode, z)]
                ratio = r.rps / t.rps  # type: ignore[attr-defined]
                rows.append(
                    f"| {dataset} | z{z} | {mode} | {r.rps:,.0f} | {r.p50_ms:.1f} | "  # type: ignore[attr-defined]
                    f"{r.p99_ms:.1f} | {r.errors} | {ratio:.2f}× |"  # type: ignore[attr-defined]
                )
        rows.append(
            f"| {dataset} | first segments tile after a data change (coverage merge) | "
            f"ours | — | {first_ms:.0f} | — | — | — |"
        )
    print(
        f"\nworkers per server: {args.workers}; wrk -t2 -c16 -d{args.seconds}s; "
        f"{args.tiles} tiles per zoom; load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after (2 cores)\n"
    )
    print("| data | zoom | server | req/s | p50 ms | p99 ms | errors | vs tipg |")
    print("|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print("\n| data | zoom | tiles | server | bytes | gzip bytes |")
    print("|---|---|---|---|---|---|")
    print("\n".join(sizes))


if __name__ == "__main__":
    main()
