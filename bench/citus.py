"""Citus (a coordinator and 2 workers) against one PostGIS, side by side in one run (issue 23).

Run by hand (never in CI), loopback only, under ``nice -n 10``::

    nice -n 10 python bench/citus.py [--patrols 1000000] [--runs 5] [--keep]

1. Starts its OWN clusters (or reuses them when running): one PostGIS
   (``scripts/pg.sh start pg-citusbench 54369``) and a Citus cluster
   (``CITUS_PORTS="9710 9711 9712" scripts/citus.sh up``, data under this checkout's
   ``.data/citus-*``); stops both at the end unless ``--keep``.
2. In both, two fresh databases (bench/_citus_setup.py): ``rc23_province`` (``riverchief
   demo province``'s geography, then ``--patrols`` synthetic patrols of 2026 written in SQL,
   then the coverage store rebuilt: ``riverchief coverage rebuild``'s function) and
   ``rc23_leshan`` (``riverchief load-demo --no-activity``: the province has no accounts or
   roster to upload as). Migrated with ``riverchief db upgrade``; on Citus ``riverchief db
   distribute`` right after. Times of each step are reported.
3. Reads over HTTP against ``riverchief serve --workers 2`` on each province database (tile
   cache and read cache off), single and Citus alternating request by request, median of
   ``--runs`` after a warm-up: the province's year coverage (``GET /api/v1/coverage``, every
   river), a city's (the busiest city: ``GET /api/v1/coverage?county=`` for each of its
   counties, as the 驾驶舱 builds its county figures), the compliance report of the year
   (``GET /api/v1/compliance``, which reads the patrols), the 驾驶舱 overview of the year
   (``GET /api/v1/stats/overview`` with the busiest city as focus city: the report the service
   prints as 通报), the year's patrol count (``GET /api/v1/patrols?limit=1``, its
   X-Total-Count) and a cold z10 segments tile over that city.
4. Uploads on the Leshan databases: ``--clients`` uploaders back to back, ``--rounds`` rounds
   of ``--upload-seconds`` per setup, alternating setups: patrols/s, p50/p95 per upload.
5. Fault drills on Citus (bench/_citus_uploads.py), twice: ``--clients`` uploaders with
   ``client_id`` and retries; a worker is stopped (``pg_ctl stop -m fast``) a third of the way
   in for ``--down-seconds``, then started: first the worker holding the uploads' shard (all
   Leshan chiefs are one region), then the other one. Every answer is recorded by the phase it
   was sent in; afterwards exactly one patrol per acknowledged ``client_id``.

Prints the markdown table and the JSON report (also written to /tmp/citusbench-report.json);
the numbers go to bench/README.md. Nothing here is asserted by the suite.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _citus_setup import (
    CITUS_PORTS,
    LESHAN,
    OFFICE_PASSWORD,
    OFFICE_USER,
    PERIOD,
    PROVINCE,
    SETUPS,
    YEAR,
    city_and_tiles,
    clusters,
    pg_ctl,
    prepare,
    service_env,
    worker_of_region,
)
from _citus_uploads import fault_drill, throughput
from _servers import server


@contextmanager
def served(database: str, extra: dict[str, str]) -> Iterator[dict[str, str]]:
    """``riverchief serve --workers 2`` on ``database`` of each setup: label -> base URL."""
    argv = [sys.executable, "-m", "service.cli", "serve", "--host", "127.0.0.1"]
    argv += ["--port", "{port}", "--workers", "2"]
    with ExitStack() as stack:
        bases = {}
        for setup in SETUPS:
            log = f"/tmp/citusbench-{setup.label}-{database}.log"
            env = {**service_env(setup, database), **extra}
            bases[setup.label] = stack.enter_context(server(argv, env, "/healthz", log))
        yield bases


class Failed(Exception):
    """A measured request did not answer 200."""


def get(client: httpx.Client, url: str, headers: dict[str, str] | None = None) -> httpx.Response:
    r = client.get(url, headers=headers or {}, timeout=900)
    if r.status_code != 200:
        raise Failed(f"{r.status_code} {r.text[:200]}")
    return r


def paired(fns: dict[str, Callable[[int], object]], runs: int) -> dict[str, float | str]:
    """Median ms of ``runs`` calls per setup after one warm-up each, alternating setups (and
    which goes first) call by call, so both meet the same machine; a setup whose call fails
    gets the error instead."""
    out: dict[str, float | str] = {}
    times: dict[str, list[float]] = {label: [] for label in fns}
    for label, fn in fns.items():
        try:
            fn(0)
        except Failed as exc:
            out[label] = f"error: {exc}"
    for i in range(runs):
        order = list(fns) if i % 2 == 0 else list(reversed(fns))
        for label in order:
            if label in out:
                continue
            started = time.perf_counter()
            try:
                fns[label](i + 1)
            except Failed as exc:
                out[label] = f"error: {exc}"
                continue
            times[label].append((time.perf_counter() - started) * 1000)
    for label, values in times.items():
        if label not in out:
            out[label] = statistics.median(values)
    return out


def reads(runs: int, city: str, counties: list[str], tiles: list[str]) -> dict[str, Any]:
    extra = {
        "RIVERCHIEF_TILE_CACHE_MAX_BYTES": "0",
        "RIVERCHIEF_READ_CACHE_TTL_S": "0",
        "RIVERCHIEF_FOCUS_CITY_CODE": city,
    }
    out: dict[str, Any] = {}
    with served(PROVINCE, extra) as bases, httpx.Client() as client:
        office = {}
        for label, base in bases.items():
            r = client.post(
                base + "/api/v1/auth/token",
                data={"username": OFFICE_USER, "password": OFFICE_PASSWORD},
            )
            r.raise_for_status()
            office[label] = {"Authorization": f"Bearer {r.json()['access_token']}"}

        def each(make: Callable[[str, int], object]) -> dict[str, Callable[[int], object]]:
            return {label: (lambda i, label=label: make(label, i)) for label in bases}

        def city_report(label: str, _i: int) -> None:
            for county in counties:
                get(client, f"{bases[label]}/api/v1/coverage?{PERIOD}&county={county}")

        measures: dict[str, Callable[[str, int], object]] = {
            "province_year_coverage": lambda label, _i: get(
                client, f"{bases[label]}/api/v1/coverage?{PERIOD}"
            ),
            "city_year_coverage": city_report,
            "compliance_year": lambda label, _i: get(
                client, f"{bases[label]}/api/v1/compliance?year={YEAR}", office[label]
            ),
            "overview_year": lambda label, _i: get(
                client, f"{bases[label]}/api/v1/stats/overview?{PERIOD}", office[label]
            ),
            "patrols_year_count": lambda label, _i: get(
                client, f"{bases[label]}/api/v1/patrols?{PERIOD}&limit=1", office[label]
            ),
            "cold_tile_z10": lambda label, i: get(
                client, f"{bases[label]}/tiles/segments/{tiles[i % len(tiles)]}.pbf"
            ),
        }
        for name, make in measures.items():
            out[name] = paired(each(make), runs)
            print(f"{name}: {out[name]}", file=sys.stderr, flush=True)
    return out


def uploads(clients: int, seconds: float, rounds: int, drill: dict[str, float]) -> dict[str, Any]:
    out: dict[str, Any] = {"rounds": {s.label: [] for s in SETUPS}}
    # every client waits in the line instead of being refused (2 workers x (2 + 50) places):
    # the throughput of the matching is measured, not the admission's 503s (issue 14)
    with served(LESHAN, {"RIVERCHIEF_UPLOAD_QUEUE_MAX": "50"}) as bases:
        for r in range(rounds):
            order = SETUPS if r % 2 == 0 else tuple(reversed(SETUPS))
            for setup in order:
                got = asyncio.run(throughput(bases[setup.label], clients, seconds, f"tp{r}"))
                out["rounds"][setup.label].append(got)
                print(f"uploads {setup.label} round {r}: {got}", file=sys.stderr, flush=True)
        citus = SETUPS[1]
        holder = worker_of_region(
            citus, "SELECT region_of_chief(official_id) FROM user_account WHERE username = 'chief'"
        )
        other = 1 if holder != 1 else 2
        out["drills"] = []
        for worker, why in ((holder, "holds the uploads' shard"), (other, "holds other shards")):
            got = asyncio.run(
                fault_drill(
                    bases[citus.label],
                    citus.url(LESHAN),
                    clients,
                    drill["seconds"],
                    drill["down_s"],
                    lambda worker=worker: pg_ctl(worker, "stop"),
                    lambda worker=worker: pg_ctl(worker, "start"),
                )
            )
            got["worker"] = f"citus-worker{worker} (port {CITUS_PORTS[worker]}): {why}"
            out["drills"].append(got)
            print(f"drill: {got}", file=sys.stderr, flush=True)
    return out


def table(report: dict[str, Any]) -> str:
    def cell(v: Any, unit: str = "") -> str:
        if isinstance(v, str):
            return v[:80]
        if v is None:
            return "—"
        return f"{v:,.1f}{unit}" if v < 100 else f"{v:,.0f}{unit}"

    def ratio(s: Any, c: Any) -> str:
        ok = isinstance(s, (int, float)) and isinstance(c, (int, float)) and s
        return f"{c / s:.2f}×" if ok else "—"

    lines = ["| measure | one PostGIS | Citus (coordinator + 2 workers) | Citus / single |"]
    lines.append("|---|---|---|---|")
    prep = report["prepare"]
    for key, label in (
        ("migrate_s", "migrate both databases, s"),
        ("distribute_s", "`db distribute` both, s"),
        ("leshan_demo_s", "Leshan demo load, s"),
        ("geography_s", "province geography, s"),
        ("patrols_s", f"{report['patrols']:,} patrols written, s"),
        ("vacuum_s", "VACUUM ANALYZE, s"),
        ("rebuild_s", "coverage store rebuild, s"),
    ):
        s = prep["single"].get(key, prep["single"].get(key.replace("_s", "_error")))
        c = prep["citus"].get(key, prep["citus"].get(key.replace("_s", "_error")))
        lines.append(f"| {label} | {cell(s)} | {cell(c)} | {ratio(s, c)} |")
    for key, label in (
        ("province_year_coverage", "province's year coverage, every river (ms)"),
        ("city_year_coverage", f"city's year coverage, {report['counties']} counties (ms)"),
        ("compliance_year", "compliance report of the year (ms)"),
        ("overview_year", "驾驶舱 overview of the year (ms)"),
        ("patrols_year_count", "patrols of the year, count (ms)"),
        ("cold_tile_z10", "cold z10 segments tile (ms)"),
    ):
        s, c = report["reads"][key]["single"], report["reads"][key]["citus"]
        lines.append(f"| {label} | {cell(s)} | {cell(c)} | {ratio(s, c)} |")
    ups = report["uploads"]["rounds"]
    for key, label in (
        ("per_s", "uploads/s, 50 clients"),
        ("p50_ms", "upload p50 (ms)"),
        ("p95_ms", "upload p95 (ms)"),
    ):
        s = statistics.median(r[key] for r in ups["single"])
        c = statistics.median(r[key] for r in ups["citus"])
        lines.append(f"| {label} | {cell(s)} | {cell(c)} | {ratio(s, c)} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--patrols", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--upload-seconds", type=float, default=30)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--fault-seconds", type=float, default=45)
    parser.add_argument("--down-seconds", type=float, default=10)
    parser.add_argument("--keep", action="store_true", help="leave both clusters running")
    parser.add_argument(
        "--reuse", action="store_true", help="skip step 2: the databases of a run with --keep"
    )
    args = parser.parse_args()
    os.environ.setdefault("RIVERCHIEF_ENV", "development")
    report: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_before": os.getloadavg(),
        "patrols": args.patrols,
    }
    clusters("up")
    try:
        report["prepare"] = {setup.label: {} for setup in SETUPS}
        for setup in SETUPS if not args.reuse else ():
            report["prepare"][setup.label] = prepare(setup, args.patrols)
            print(f"prepared {setup.label}: {report['prepare'][setup.label]}", file=sys.stderr)
        city, counties, tiles = city_and_tiles(SETUPS[0])
        report.update(city=city, counties=len(counties), tiles=tiles)
        report["reads"] = reads(args.runs, city, counties, tiles)
        drill = {"seconds": args.fault_seconds, "down_s": args.down_seconds}
        report["uploads"] = uploads(args.clients, args.upload_seconds, args.rounds, drill)
    finally:
        report["load_after"] = os.getloadavg()
        report["finished"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        Path("/tmp/citusbench-report.json").write_text(
            json.dumps(report, indent=2, ensure_ascii=False, default=str)
        )
        if not args.keep:
            clusters("down")
    print(table(report))
    print()
    json.dump(report, sys.stdout, indent=2, ensure_ascii=False, default=str)
    print()


if __name__ == "__main__":
    main()
