"""Helpers for the benchmarks: databases, servers on free ports, wrk runs and their parsing.

Run by hand only (never in CI). Everything runs on 127.0.0.1 against the dev cluster (54329)
in databases of the benchmarks' own (``rc8_*``), never the Leshan demo's ``riverchief``.
"""

from __future__ import annotations

import importlib.util
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx
from sqlalchemy import text
from sqlalchemy.engine import Connection

REPO = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("RIVERCHIEF_BENCH_SERVER", "postgresql://postgres@127.0.0.1:54329")


def _tipg_python() -> str:
    """tipg's interpreter: $TIPG_VENV, else this one if the ``bench`` extra is installed."""
    if "TIPG_VENV" in os.environ:
        return os.environ["TIPG_VENV"] + "/bin/python"
    if importlib.util.find_spec("tipg") is not None:
        return sys.executable
    return "/tmp/tipgvenv/bin/python"


TIPG_PYTHON = _tipg_python()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def timed(
    conn: Connection,
    statement: Any,
    params: dict[str, Any],
    runs: int = 3,
    *,
    search_path: str | None = None,
) -> float:
    """Median milliseconds of ``runs`` executions after one warm-up (caches, plan); jit off,
    ``search_path`` set first when given."""
    if search_path is not None:
        conn.execute(text(f"SET search_path = {search_path}"))
    conn.execute(text("SET jit = off"))
    conn.execute(statement, params).all()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        conn.execute(statement, params).all()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def db_url(name: str) -> str:
    return f"{SERVER}/{name}"


@contextmanager
def server(
    argv: Sequence[str], env: dict[str, str], ready_path: str, log_path: str | None = None
) -> Iterator[str]:
    """Start a server process on a free port (``{port}`` in argv), yield its base URL. Its
    output goes to a temporary file, or to ``log_path`` (kept afterwards) when given."""
    port = free_port()
    argv = [a.replace("{port}", str(port)) for a in argv]
    log: IO[str]
    if log_path is None:
        log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)  # noqa: SIM115
    else:
        log = open(log_path, "w+")  # noqa: SIM115
    proc = subprocess.Popen(argv, env={**os.environ, **env}, stdout=log, stderr=log, cwd=REPO)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + ready_path, timeout=2).status_code < 500:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError(f"server {argv[0]} did not start:\n{log.read()[-3000:]}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        if log_path is None:
            os.unlink(log.name)


def ours(database: str, workers: int, cache_bytes: int | None = None) -> Iterator[str]:
    env = {"DATABASE_URL": db_url(database), "RIVERCHIEF_ENV": "development"}
    if cache_bytes is not None:
        env["RIVERCHIEF_TILE_CACHE_MAX_BYTES"] = str(cache_bytes)
    argv = [
        str(REPO / ".venv/bin/python"),
        "-m",
        "uvicorn",
        "service.main:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        "{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    return server(argv, env, "/ogc/conformance")


def tipg(database: str, workers: int) -> Iterator[str]:
    env = {
        "DATABASE_URL": db_url(database),
        "TIPG_DB_TABLES": '["public.segment"]',
        "TIPG_TILE_BUFFER": "64",  # the same buffer as ours
        "TIPG_DEBUG": "false",
    }
    argv = [
        TIPG_PYTHON,
        "-m",
        "uvicorn",
        "tipg.main:app",
        "--host",
        "127.0.0.1",
        "--port",
        "{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    return server(argv, env, "/healthz")


@dataclass(frozen=True)
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(base: str, paths: Sequence[str], connections: int = 16, seconds: int = 10) -> WrkResult:
    """wrk (Debian) with ``connections`` connections for ``seconds``, cycling over ``paths``."""
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115
    quoted = ",\n".join(f'"{p}"' for p in paths)
    script.write(
        f"local paths = {{{quoted}}}\n"
        "local i = 0\n"
        "setup = function(thread) thread:set('offset', math.random(#paths)) end\n"
        "request = function()\n"
        "  i = i + 1\n"
        "  return wrk.format('GET', paths[((i + (offset or 0)) % #paths) + 1])\n"
        "end\n"
    )
    script.close()
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name, base],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    try:
        p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
        p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    except AttributeError as exc:
        raise RuntimeError(f"cannot read wrk's output:\n{out}") from exc
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        errors += int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        errors += sum(int(g) for g in m.groups())
    return WrkResult(rps, p50, p99, total, errors)
