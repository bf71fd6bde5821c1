"""Load and fault test (issue 9): run by hand, loopback only, bounded, stops by itself.

    .venv/bin/python bench/load_fault.py [--seconds 60] [--uploaders 50] [--read-rate 200]

1. Starts its OWN PostGIS cluster (``scripts/pg.sh start pg-fault 54349``: never the dev or
   test cluster), migrates it and loads the demo geography and roster, then serves riverchief
   on a free 127.0.0.1 port (development mode, demo accounts).
2. Load: ``--uploaders`` clients upload synthetic GPS tracks back to back while a paced reader
   issues ``--read-rate`` map reads per second (rivers, areas, coverage, tiles, problems) for
   ``--seconds``. Every non-2xx answer or transport error counts as an error; afterwards each
   acknowledged patrol id must be readable.
3. Fault: the same number of clients upload tracks back to back for ``--fault-seconds``, each
   with its own ``client_id``, retrying (same ``client_id``) until acknowledged; PostGIS is
   stopped for ``--down-seconds`` a third of the way in. Afterwards the database must hold
   exactly one patrol per ``client_id``: no duplicate, none lost.

Prints one JSON report. Numbers go to bench/README.md; nothing here is asserted by the suite.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
CLUSTER, PG_PORT = "pg-fault", 54349
DB_URL = f"postgresql://postgres@127.0.0.1:{PG_PORT}/riverchief"


def free_port() -> int:
    """A loopback port nobody listens on (another engineer's server may hold 8765)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


HTTP_PORT = free_port()
BASE = f"http://127.0.0.1:{HTTP_PORT}"
READS = [
    "/api/v1/map/rivers.geojson?zoom=9",
    "/api/v1/map/areas.geojson?zoom=8",
    "/api/v1/coverage?from=2026-01-01&to=2026-12-31",
    "/api/v1/problems.geojson",
    "/tiles/segments/9/403/211.pbf",
    "/api/v1/rivers",
]


def env() -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": DB_URL,
        "RIVERCHIEF_ENV": "development",
        "RIVERCHIEF_MEDIA_DIR": "/tmp/riverchief-load-fault-media",
    }


def pg(command: str) -> None:
    subprocess.run(
        [str(ROOT / "scripts" / "pg.sh"), command, CLUSTER, str(PG_PORT)],
        check=True,
        capture_output=True,
    )


def prepare() -> subprocess.Popen[bytes]:
    pg("start")
    subprocess.run(
        [str(BIN / "riverchief"), "db", "upgrade"], env=env(), check=True, capture_output=True
    )
    subprocess.run(
        [str(BIN / "riverchief"), "load-demo", "--no-activity"],
        env=env(),
        check=True,
        capture_output=True,
    )
    with open("/tmp/load_fault_server.log", "wb") as log:
        server = subprocess.Popen(
            [
                str(BIN / "riverchief"),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(HTTP_PORT),
                "--workers",
                "2",
            ],
            env=env(),
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if server.poll() is not None:
                raise SystemExit("server exited: see /tmp/load_fault_server.log")
            if httpx.get(BASE + "/healthz", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    server.terminate()
    raise SystemExit("server did not start: see /tmp/load_fault_server.log")


def gpx(seed: int) -> bytes:
    """A 2-hour walk of 240 points southwards along 岷江 near Leshan, jittered per seed."""
    rng = random.Random(seed)
    start = datetime(2026, 3, 1, 1, 0, tzinfo=UTC) + timedelta(minutes=seed % 100_000)
    lon, lat = 103.765 + rng.uniform(-0.002, 0.002), 29.62
    points = []
    for i in range(240):
        t = (start + timedelta(seconds=30 * i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        points.append(
            f'<trkpt lat="{lat - i * 0.0003 + rng.gauss(0, 2e-5):.6f}" '
            f'lon="{lon + rng.gauss(0, 2e-5):.6f}"><time>{t}</time></trkpt>'
        )
    body = "".join(points)
    return (
        '<?xml version="1.0"?><gpx version="1.1" creator="load_fault" '
        'xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
        f"{body}</trkseg></trk></gpx>"
    ).encode()


async def token(client: httpx.AsyncClient, username: str, base: str = "") -> dict[str, str]:
    r = await client.post(
        (base or BASE) + "/api/v1/auth/token",
        data={"username": username, "password": "riverchief-demo"},
    )
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def post_track(
    client: httpx.AsyncClient,
    base: str,
    headers: dict[str, str],
    seed: int,
    client_id: str,
    *,
    source: str = "load",
    timeout: float = 120,
) -> httpx.Response:
    """Upload the synthetic track ``seed`` as ``client_id`` (bench/citus.py uses it too)."""
    return await client.post(
        base + "/api/v1/patrols",
        headers=headers,
        files={"file": (f"{source}-{seed}.gpx", gpx(seed), "application/gpx+xml")},
        data={"client_id": client_id, "notes": f"{source} test"},
        timeout=timeout,
    )


async def upload(
    client: httpx.AsyncClient, headers: dict[str, str], seed: int, client_id: str
) -> httpx.Response:
    return await post_track(client, BASE, headers, seed, client_id)


def _reads(base: str, seconds: float, rate: float, role: str | None) -> dict[str, object]:
    """``rate`` map reads a second for ``seconds``, paced (not closed-loop: a slow answer does
    not slow the asking). Blocking ``http.client`` on keep-alive connections in threads: an
    asyncio + httpx reader spent more CPU per read than the server did (on the same 2 cores),
    and could not even ask 200 a second while the uploads ran."""
    import http.client
    import queue
    import threading
    from urllib.parse import urlsplit

    headers = {}
    if role:
        r = httpx.post(
            base + "/api/v1/auth/token", data={"username": role, "password": "riverchief-demo"}
        )
        r.raise_for_status()
        headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
    host, port = urlsplit(base).hostname, urlsplit(base).port
    due: queue.Queue[tuple[float, str] | None] = queue.Queue()
    read_ms: list[float] = []
    late_ms: list[float] = []
    errors: list[str] = []

    def worker() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=30)
        while (item := due.get()) is not None:
            scheduled, path = item
            t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                errors.append(f"read {path}: {type(exc).__name__}")
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
                continue
            done = time.perf_counter()
            read_ms.append((done - t0) * 1000)
            late_ms.append((done - scheduled) * 1000)  # from when it was due: queueing too
            if status not in (200, 304):
                errors.append(f"read {path}: {status}")
        conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(64)]
    for t in threads:
        t.start()
    started, n = time.perf_counter(), 0
    while (now := time.perf_counter()) < started + seconds:
        while started + n / rate <= now:
            due.put((started + n / rate, READS[n % len(READS)]))
            n += 1
        time.sleep(max(0.0, started + n / rate - time.perf_counter()))
    for _ in threads:
        due.put(None)
    for t in threads:
        t.join(timeout=60)
    elapsed = time.perf_counter() - started
    return {
        "asked": n,
        "read_ms": read_ms,
        "late_ms": late_ms,
        "errors": errors,
        "elapsed": elapsed,
    }


def _reader_process(base: str, seconds: float, rate: float, role: str | None) -> dict[str, object]:
    return _reads(base, seconds, rate, role)


async def load_phase(
    seconds: float, uploaders: int, rate: float, reader_role: str | None
) -> dict[str, object]:
    # The reader runs in its own process: in one event loop with 50 uploaders, the client's
    # own work (building GPX bodies, multipart encoding) delayed the reads it timed.
    reader_pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    limits = httpx.Limits(max_connections=uploaders + 10, max_keepalive_connections=100)
    async with httpx.AsyncClient(limits=limits) as client:
        chief, office = await token(client, "chief"), await token(client, "office")
        run = int(time.time()) % 100_000
        acked: list[int] = []
        upload_ms: list[float] = []
        errors: list[str] = []
        began = time.monotonic()
        stop = began + seconds

        async def uploader(n: int) -> None:
            i = 0
            while time.monotonic() < stop:
                seed = 10**12 + run * 10**7 + n * 100_000 + i  # unique per run (see fault)
                i += 1
                t0 = time.perf_counter()
                try:
                    r = await upload(client, chief, seed, f"load-{seed}")
                except httpx.HTTPError as exc:
                    errors.append(f"upload: {type(exc).__name__}")
                    continue
                upload_ms.append((time.perf_counter() - t0) * 1000)
                if r.status_code in (200, 201):
                    acked.append(int(r.json()["id"]))
                else:
                    errors.append(f"upload {r.status_code}: {r.text[:120]}")

        reads_future = asyncio.get_running_loop().run_in_executor(
            reader_pool, _reader_process, BASE, seconds, rate, reader_role
        )
        _, reads = await asyncio.gather(
            asyncio.gather(*(uploader(n) for n in range(uploaders))), reads_future
        )
        elapsed = time.monotonic() - began
        reader_pool.shutdown()
        read_ms, late_ms = reads["read_ms"], reads["late_ms"]
        assert isinstance(read_ms, list) and isinstance(late_ms, list)
        assert isinstance(reads["errors"], list)
        errors.extend(reads["errors"])
        missing = []
        for pid in acked:
            r = await client.get(f"{BASE}/api/v1/patrols/{pid}", headers=office, timeout=30)
            if r.status_code != 200:
                missing.append(pid)
    reads_done = len(read_ms)
    return {
        "seconds": round(elapsed, 1),
        "uploads_acknowledged": len(acked),
        "upload_ms_p50": _pct(upload_ms, 50),
        "upload_ms_p95": _pct(upload_ms, 95),
        "reader": reader_role or "anonymous",
        "reads_asked": reads["asked"],
        "reads": reads_done,
        "reads_per_s": round(reads_done / float(reads["elapsed"]), 1),  # type: ignore[arg-type]
        "read_ms_p50": _pct(read_ms, 50),
        "read_ms_p95": _pct(read_ms, 95),
        "read_ms_from_due_p95": _pct(late_ms, 95),
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:10],
        "acknowledged_missing_afterwards": len(missing),
    }


async def fault_phase(clients: int, seconds: float, down_s: float) -> dict[str, object]:
    """Each client uploads new patrols back to back for ``seconds``, retrying each with its
    ``client_id`` until acknowledged; PostGIS is stopped for ``down_s`` in the middle."""
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=clients + 10)) as client:
        chief = await token(client, "chief")
        attempts: dict[str, int] = {}
        acked: dict[str, int] = {}
        failures: list[str] = []
        stop = time.monotonic() + seconds
        run = int(time.time())
        last_ack = [0.0]

        async def one(n: int) -> None:
            k = 0
            while time.monotonic() < stop:
                client_id, k = f"fault-{run}-{n}-{k}", k + 1
                # Unique per run: the server dedupes identical files (same chief, same bytes),
                # and this cluster keeps earlier runs' patrols.
                seed = (run % 100_000) * 1_000_000 + n * 10_000 + k
                while client_id not in acked and time.monotonic() < stop + 120:
                    attempts[client_id] = attempts.get(client_id, 0) + 1
                    try:
                        r = await upload(client, chief, seed, client_id)
                        if r.status_code in (200, 201):
                            acked[client_id] = int(r.json()["id"])
                            last_ack[0] = max(last_ack[0], time.time())
                            break
                        failures.append(f"{r.status_code}")
                    except httpx.HTTPError as exc:
                        failures.append(type(exc).__name__)
                    await asyncio.sleep(0.5 + random.random())  # back off, retry the same id

        async def restart() -> float:
            await asyncio.sleep(seconds / 3)  # uploads in flight when PostGIS goes away
            t0 = time.monotonic()
            await asyncio.to_thread(pg, "stop")
            await asyncio.sleep(down_s)
            await asyncio.to_thread(pg, "start")
            return time.monotonic() - t0

        results = await asyncio.gather(restart(), *(one(n) for n in range(clients)))
        downtime = results[0]
        print(
            f"fault: last acknowledgement {datetime.fromtimestamp(last_ack[0], UTC):%H:%M:%S}",
            file=sys.stderr,
        )
    from sqlalchemy import create_engine, text

    engine = create_engine(DB_URL.replace("postgresql://", "postgresql+psycopg://"))
    query = text(
        "SELECT client_id, count(*) FROM patrol WHERE client_id LIKE :p GROUP BY client_id"
    )
    with engine.connect() as conn:
        counts = dict(conn.execute(query, {"p": f"fault-{run}-%"}).all())
        print(
            f"fault: counted {sum(counts.values())} patrols for {len(acked)} acknowledged "
            f"at {datetime.now(UTC):%H:%M:%S.%f}",
            file=sys.stderr,
        )
    engine.dispose()
    return {
        "clients": clients,
        "client_ids": len(attempts),
        "postgis_down_s": round(downtime, 1),
        "acknowledged": len(acked),
        "failed_attempts_retried": len(failures),
        "failure_kinds": {k: failures.count(k) for k in sorted(set(failures))},
        "max_attempts": max(attempts.values(), default=0),
        "exactly_one_patrol": sum(1 for c in attempts if counts.get(c) == 1),
        "duplicates": sum(1 for c in attempts if counts.get(c, 0) > 1),
        "lost_acknowledged": sum(1 for c in acked if counts.get(c, 0) == 0),
        "never_acknowledged": len(attempts) - len(acked),
    }


def _pct(values: list[float], q: int) -> float | None:
    if not values:
        return None
    return round(statistics.quantiles(values, n=100)[q - 1], 1) if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--uploaders", type=int, default=50)
    parser.add_argument("--read-rate", type=float, default=200)
    parser.add_argument("--fault-seconds", type=float, default=30)
    parser.add_argument("--down-seconds", type=float, default=5)
    parser.add_argument(
        "--reader",
        default=None,
        help="sign the map reads in as this demo account (default: anonymous)",
    )
    parser.add_argument("--keep", action="store_true", help="leave the cluster running")
    args = parser.parse_args()
    server = prepare()
    try:
        report = {
            "load": asyncio.run(
                load_phase(args.seconds, args.uploaders, args.read_rate, args.reader)
            ),
            "fault": asyncio.run(
                fault_phase(args.uploaders, args.fault_seconds, args.down_seconds)
            ),
        }
    finally:
        server.terminate()
        server.wait(timeout=30)
        if not args.keep:
            pg("stop")
    json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
