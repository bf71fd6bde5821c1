"""Uploads for bench/citus.py: throughput with N concurrent clients, and the worker fault drill.

Both run against a served riverchief on a Leshan demo database (the synthetic province has no
accounts or roster to upload as), signed in as the demo account ``chief``; the tracks are
load_fault.py's synthetic 240-point GPX walks along 岷江, unique per run (the server dedupes
identical files).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx
from load_fault import _pct, post_track, token
from sqlalchemy import create_engine, text


async def _upload(
    client: httpx.AsyncClient, base: str, headers: dict[str, str], seed: int, client_id: str
) -> httpx.Response:
    return await post_track(client, base, headers, seed, client_id, source="citus", timeout=300)


def _answer(r: httpx.Response) -> str:
    """Status, error code and Retry-After of an answer, e.g. ``503 database_unavailable
    Retry-After 2``."""
    if r.status_code < 300:
        return str(r.status_code)
    try:
        code = str(r.json().get("code") or "")
    except (ValueError, AttributeError):
        code = "(not JSON)"
    retry = r.headers.get("Retry-After")
    return f"{r.status_code} {code}".strip() + (f" Retry-After {retry}" if retry else "")


async def throughput(base: str, clients: int, seconds: float, tag: str) -> dict[str, Any]:
    """``clients`` uploaders back to back for ``seconds``: acknowledged patrols a second and the
    latency of each acknowledged upload (p50, p95); other answers are counted by kind."""
    limits = httpx.Limits(max_connections=clients + 10, max_keepalive_connections=clients + 10)
    async with httpx.AsyncClient(limits=limits) as client:
        chief = await token(client, "chief", base)
        run = int(time.time() * 1000) % 10**9
        latencies: list[float] = []
        errors: Counter[str] = Counter()
        acked = 0
        began = time.monotonic()
        stop = began + seconds

        async def uploader(n: int) -> None:
            nonlocal acked
            i = 0
            while time.monotonic() < stop:
                seed = 10**15 + run * 10**5 + n * 1000 + i
                i += 1
                t0 = time.perf_counter()
                try:
                    r = await _upload(client, base, chief, seed, f"{tag}-{run}-{n}-{i}")
                except httpx.HTTPError as exc:
                    errors[type(exc).__name__] += 1
                    continue
                if r.status_code in (200, 201):
                    acked += 1
                    latencies.append((time.perf_counter() - t0) * 1000)
                else:
                    errors[_answer(r)] += 1
                    await asyncio.sleep(1)

        await asyncio.gather(*(uploader(n) for n in range(clients)))
        elapsed = time.monotonic() - began
    return {
        "seconds": round(elapsed, 1),
        "acknowledged": acked,
        "per_s": round(acked / elapsed, 2),
        "p50_ms": _pct(latencies, 50),
        "p95_ms": _pct(latencies, 95),
        "errors": dict(errors),
    }


async def fault_drill(
    base: str,
    db_url: str,
    clients: int,
    seconds: float,
    down_s: float,
    stop_worker: Callable[[], None],
    start_worker: Callable[[], None],
) -> dict[str, Any]:
    """``clients`` upload back to back for ``seconds``, each retrying its ``client_id`` until
    acknowledged; one worker is stopped a third of the way in for ``down_s``. Every attempt's
    answer is recorded with the phase it was sent in (before, worker down, after); a prober
    reads a reference-table list and a distributed one every second. Afterwards each
    ``client_id`` must have exactly one patrol on the coordinator."""
    phase = ["before"]
    attempts: list[tuple[str, str]] = []  # (phase, answer)
    samples: dict[str, str] = {}
    probes: list[tuple[str, str, str]] = []  # (phase, path, answer)
    acked: dict[str, int] = {}
    tried: set[str] = set()
    run = int(time.time()) % 10**6
    stop = time.monotonic() + seconds
    marks: dict[str, float] = {}
    began = time.monotonic()

    limits = httpx.Limits(max_connections=clients + 10, max_keepalive_connections=clients + 10)
    async with httpx.AsyncClient(limits=limits) as client:
        chief = await token(client, "chief", base)

        async def one(n: int) -> None:
            k = 0
            while time.monotonic() < stop:
                client_id, k = f"drill-{run}-{n}-{k}", k + 1
                seed = 2 * 10**15 + run * 10**6 + n * 10**4 + k
                tried.add(client_id)
                while client_id not in acked and time.monotonic() < stop + 180:
                    sent_in = phase[0]
                    try:
                        r = await _upload(client, base, chief, seed, client_id)
                    except httpx.HTTPError as exc:
                        attempts.append((sent_in, type(exc).__name__))
                    else:
                        got = _answer(r)
                        attempts.append((sent_in, got))
                        if r.status_code in (200, 201):
                            acked[client_id] = int(r.json()["id"])
                            break
                        samples.setdefault(got, r.text[:300])
                    await asyncio.sleep(0.5 + random.random())  # back off, same client_id

        async def prober() -> None:
            paths = ("/api/v1/rivers", "/api/v1/patrols?limit=5")
            while time.monotonic() < stop:
                for path in paths:
                    sent_in = phase[0]
                    try:
                        r = await client.get(base + path, headers=chief, timeout=60)
                        probes.append((sent_in, path, _answer(r)))
                    except httpx.HTTPError as exc:
                        probes.append((sent_in, path, type(exc).__name__))
                await asyncio.sleep(1)

        async def fault() -> None:
            await asyncio.sleep(seconds / 3)  # uploads in flight when the worker goes away
            marks["stop"] = time.monotonic() - began
            await asyncio.to_thread(stop_worker)
            phase[0] = "worker down"
            await asyncio.sleep(down_s)
            marks["start"] = time.monotonic() - began
            phase[0] = "worker starting"  # pg_ctl start -w: until it accepts connections
            await asyncio.to_thread(start_worker)
            phase[0] = "after"
            marks["up"] = time.monotonic() - began

        await asyncio.gather(fault(), prober(), *(one(n) for n in range(clients)))
    missing_first, counts = _count(db_url, run, acked, recover=False)
    recovered = None
    if missing_first:
        # prepared transactions a worker missed while down are committed by the coordinator's
        # recovery (every citus.recover_2pc_interval): run it now, then count again
        missing, counts = _count(db_url, run, acked, recover=True)
        recovered = missing_first - missing
    by_phase: dict[str, Counter[str]] = {}
    for ph, got in attempts:
        by_phase.setdefault(ph, Counter())[got] += 1
    probe_phase: dict[str, Counter[str]] = {}
    for ph, path, got in probes:
        probe_phase.setdefault(f"{path} ({ph})", Counter())[got] += 1
    return {
        "clients": clients,
        "seconds": seconds,
        "worker_stopped_at_s": round(marks.get("stop", 0), 1),
        "worker_down_s": round(marks.get("start", 0) - marks.get("stop", 0), 1),
        "worker_starting_s": round(marks.get("up", 0) - marks.get("start", 0), 1),
        "client_ids": len(tried),
        "acknowledged": len(acked),
        "attempts_by_phase": {k: dict(v) for k, v in by_phase.items()},
        "answer_samples": samples,
        "probes": {k: dict(v) for k, v in probe_phase.items()},
        "exactly_one_patrol": sum(1 for c in tried if counts.get(c) == 1),
        "duplicates": sum(1 for c in tried if counts.get(c, 0) > 1),
        "acknowledged_missing_before_recovery": missing_first,
        "recovered_by_recover_prepared_transactions": recovered,
        "lost_acknowledged": sum(1 for c in acked if counts.get(c, 0) == 0),
        "never_acknowledged": len(tried) - len(acked),
    }


def _count(
    db_url: str, run: int, acked: dict[str, int], *, recover: bool
) -> tuple[int, dict[str, int]]:
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            if recover:
                conn.execute(text("SELECT recover_prepared_transactions()"))
                conn.commit()
            rows = conn.execute(
                text(
                    "SELECT client_id, count(*) FROM patrol WHERE client_id LIKE :p "
                    "GROUP BY client_id"
                ),
                {"p": f"drill-{run}-%"},
            ).all()
    finally:
        engine.dispose()
    counts = {str(c): int(n) for c, n in rows}
    return sum(1 for c in acked if counts.get(c, 0) == 0), counts
