"""Cold tiles against tipg for several ``RIVERCHIEF_TILE_RENDER_CONCURRENCY`` values.

Run by hand (not in CI) after ``bench/tiles_vs_tipg.py`` has created its databases:

    .venv/bin/python bench/tile_render_concurrency.py rc8_leshan 10 [--sizes 2 4 64]

Alternates tipg and our server (tile cache off, so every request renders) with each limit,
twice, wrk 16 connections for 8 s over the same 200-tile sample; every row is from this run.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _servers import ours, tipg, wrk
from tiles_vs_tipg import sample_tiles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("database")
    parser.add_argument("zoom", type=int)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2, 4, 64])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("RIVERCHIEF_ENV", "development")
    tiles = sample_tiles(args.database, args.zoom, 200)
    ours_paths = [f"/tiles/segments/{z}/{x}/{y}.pbf" for z, x, y in tiles]
    tipg_paths = [
        f"/collections/public.segment/tiles/WebMercatorQuad/{z}/{x}/{y}" for z, x, y in tiles
    ]
    print("| round | server | req/s | p50 ms | p99 ms | errors |\n|---|---|---|---|---|---|")
    for n in range(1, args.rounds + 1):
        with tipg(args.database, 2) as base:
            for path in tipg_paths[:5]:
                httpx.get(base + path, timeout=60)
            r = wrk(base, tipg_paths, seconds=8)
            print(
                f"| {n} | tipg | {r.rps:.0f} | {r.p50_ms} | {r.p99_ms} | {r.errors} |", flush=True
            )
        for size in args.sizes:
            os.environ["RIVERCHIEF_TILE_RENDER_CONCURRENCY"] = str(size)
            with ours(args.database, 2, cache_bytes=0) as base:
                for _ in range(8):  # every worker merges the period's coverage once first
                    for path in ours_paths[:3]:
                        httpx.get(base + path, timeout=60)
                r = wrk(base, ours_paths, seconds=8)
                print(
                    f"| {n} | ours, {size} renders/worker | {r.rps:.0f} | {r.p50_ms} | "
                    f"{r.p99_ms} | {r.errors} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
