"""Clusters and databases for bench/citus.py: one PostGIS and a Citus cluster of this checkout,
the province and Leshan databases in each, and stopping/starting a worker for the drill."""

from __future__ import annotations

import glob
import math
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

REPO = Path(__file__).resolve().parents[1]
SINGLE_NAME, SINGLE_PORT = "pg-citusbench", 54369
CITUS_PORTS = (9710, 9711, 9712)
PROVINCE, LESHAN = "rc23_province", "rc23_leshan"
YEAR = 2026
PERIOD = f"from={YEAR}-01-01&to={YEAR}-12-31"
OFFICE_USER, OFFICE_PASSWORD = "bench-office", "bench-office-citus-23"
PGBIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1] if glob.glob("/usr/lib") else ""


@dataclass(frozen=True)
class Setup:
    label: str
    port: int
    citus: bool

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"


SETUPS = (Setup("single", SINGLE_PORT, False), Setup("citus", CITUS_PORTS[0], True))


def sh(argv: list[str], env: dict[str, str] | None = None, stdin: str | None = None) -> str:
    done = subprocess.run(
        argv,
        env={**os.environ, **(env or {})},
        cwd=REPO,
        input=stdin,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def service_env(setup: Setup, database: str) -> dict[str, str]:
    return {
        "DATABASE_URL": setup.url(database),
        "PYTHONPATH": str(REPO),
        "RIVERCHIEF_ENV": "development",
        "RIVERCHIEF_MEDIA_DIR": f"/tmp/citusbench-media-{setup.label}",
    }


def cli(setup: Setup, database: str, *args: str, stdin: str | None = None) -> float:
    """``riverchief <args>`` of this checkout against ``database``; seconds it took."""
    started = time.perf_counter()
    sh([sys.executable, "-m", "service.cli", *args], service_env(setup, database), stdin)
    return time.perf_counter() - started


def clusters(command: str) -> None:
    citus_env = {"CITUS_PORTS": " ".join(map(str, CITUS_PORTS))}
    if command == "up":
        sh(["scripts/pg.sh", "start", SINGLE_NAME, str(SINGLE_PORT)])
        sh(["scripts/citus.sh", "up"], citus_env)
    else:
        sh(["scripts/citus.sh", "down"], citus_env)
        sh(["scripts/pg.sh", "stop", SINGLE_NAME])


def fresh_database(setup: Setup, name: str) -> None:
    from service.citus.cluster import create_database, drop_database

    admin = create_engine(
        setup.url("postgres").replace("postgresql://", "postgresql+psycopg://"),
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as conn:
        if setup.citus:
            drop_database(conn, name)
            create_database(conn, name)
        else:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def engine_for(setup: Setup, database: str) -> Any:
    return create_engine(
        setup.url(database).replace("postgresql://", "postgresql+psycopg://"),
        connect_args={"prepare_threshold": None},
    )


def prepare(setup: Setup, patrols: int) -> dict[str, Any]:
    """Both databases from scratch; the time of each step (seconds)."""
    from sqlalchemy.orm import Session

    from service.citus.distribute import STORE_TRIGGERS
    from service.coverage.store import rebuild
    from service.province.generate import ProvinceSpec, add_patrols, build_province

    out: dict[str, Any] = {}
    for name in (PROVINCE, LESHAN):
        fresh_database(setup, name)
        out["migrate_s"] = out.get("migrate_s", 0.0) + cli(setup, name, "db", "upgrade")
        if setup.citus:
            out["distribute_s"] = out.get("distribute_s", 0.0) + cli(
                setup, name, "db", "distribute"
            )
    out["leshan_demo_s"] = cli(setup, LESHAN, "load-demo", "--no-activity")
    started = time.perf_counter()
    build_province(setup.url(PROVINCE), ProvinceSpec(), patrols=0)
    out["geography_s"] = time.perf_counter() - started
    engine = engine_for(setup, PROVINCE)
    started = time.perf_counter()
    with engine.begin() as conn:
        # one PostGIS: the store's triggers off for the bulk load (the rebuild below fills the
        # store); on Citus `db distribute` dropped them
        triggers = [] if setup.citus else list(STORE_TRIGGERS)
        for table, trigger in triggers:
            conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}"))
        add_patrols(conn, patrols, YEAR, seed=0.23)
        for table, trigger in triggers:
            conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}"))
    out["patrols_s"] = time.perf_counter() - started
    started = time.perf_counter()
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(
            text("VACUUM ANALYZE patrol, patrol_coverage, patrol_upload")
        )
    out["vacuum_s"] = time.perf_counter() - started
    started = time.perf_counter()
    try:
        with Session(engine) as session:
            rebuild(session)
            session.commit()
        out["rebuild_s"] = time.perf_counter() - started
    except Exception as exc:  # recorded: the reads are measured anyway
        out["rebuild_error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}"
    with engine.connect() as conn:
        out["patrols"] = conn.execute(text("SELECT count(*) FROM patrol")).scalar_one()
        out["intervals"] = conn.execute(text("SELECT count(*) FROM patrol_coverage")).scalar_one()
        out["store_rows"] = conn.execute(
            text("SELECT count(*) FROM coverage_segment_period")
        ).scalar_one()
    engine.dispose()
    cli(
        setup,
        PROVINCE,
        "users",
        "create",
        OFFICE_USER,
        "--role",
        "office",
        "--password-stdin",
        stdin=OFFICE_PASSWORD + "\n",
    )
    return out


def city_and_tiles(setup: Setup) -> tuple[str, list[str], list[str]]:
    """The busiest city (most segments), its counties, and its 8 fullest z10 tiles."""
    engine = engine_for(setup, PROVINCE)
    with engine.connect() as conn:
        city = conn.execute(
            text(
                "SELECT left(county_code, 4) || '00' FROM segment GROUP BY 1 "
                "ORDER BY count(*) DESC, 1 LIMIT 1"
            )
        ).scalar_one()
        counties = list(
            conn.execute(
                text(
                    "SELECT DISTINCT county_code FROM segment WHERE county_code LIKE :p ORDER BY 1"
                ),
                {"p": city[:4] + "%"},
            ).scalars()
        )
        centres = conn.execute(
            text(
                "SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_Centroid(geom) AS c FROM segment "
                "WHERE county_code LIKE :p) s"
            ),
            {"p": city[:4] + "%"},
        ).all()
    engine.dispose()
    z = 10
    tiles: dict[str, int] = {}
    for lon, lat in centres:
        x = int((lon + 180.0) / 360.0 * 2**z)
        y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * 2**z)
        tiles[f"{z}/{x}/{y}"] = tiles.get(f"{z}/{x}/{y}", 0) + 1
    fullest = sorted(tiles, key=lambda t: -tiles[t])[:8]
    return str(city), [str(c) for c in counties], fullest


def worker_of_region(setup: Setup, region_query: str) -> int:
    """Index (1-based) of the worker holding the patrols' shard of the region."""
    engine = engine_for(setup, LESHAN)
    with engine.connect() as conn:
        region = conn.execute(text(region_query)).scalar_one()
        port = conn.execute(
            text(
                "SELECT nodeport FROM citus_shards WHERE table_name = 'patrol'::regclass "
                "AND shardid = get_shard_id_for_distribution_column('patrol', CAST(:r AS varchar))"
            ),
            {"r": region},
        ).scalar_one()
    engine.dispose()
    return CITUS_PORTS.index(int(port))


def pg_ctl(worker: int, action: str) -> None:
    datadir = os.path.realpath(REPO / ".data" / f"citus-worker{worker}")
    argv = [f"{PGBIN}/pg_ctl", "-D", datadir, "-w", "-t", "60"]
    argv += ["-m", "fast", "stop"] if action == "stop" else ["-l", f"{datadir}/server.log", "start"]
    if os.geteuid() == 0:
        argv = ["runuser", "-u", "postgres", "--", *argv]
    sh(argv)
