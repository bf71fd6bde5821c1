"""Build the synthetic province in its own database (never into the Leshan demo's).

The province database has the same schema (Alembic head) as the real one, so the API, tiles
and OGC endpoints serve it unchanged when ``DATABASE_URL`` points at it. Every row is marked
synthetic (``source = 'synthetic'``, codes starting ``99``, ``is_synthetic`` patrols).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, make_url

from service.errors import Conflict
from service.settings import get_settings, normalise_database_url

DEFAULT_DATABASE = "riverchief_province"


@dataclass(frozen=True)
class ProvinceSpec:
    """How big a province to make; the defaults give ~130 counties and ~30,000 segments."""

    cities: int = 18
    counties: int = 130
    rivers: int = 2600
    max_piece_m: float = 6000.0
    seed: float = 0.42


def default_url() -> str:
    """The configured server, database ``riverchief_province``."""
    url = make_url(get_settings().database_url).set(database=DEFAULT_DATABASE)
    return url.render_as_string(hide_password=False)


def _statements(name: str) -> list[str]:
    """The statements of ``service/province/<name>.sql`` (split at ``;`` ending a line)."""
    sql = files("service.province").joinpath(f"{name}.sql").read_text(encoding="utf-8")
    body = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return [s.strip() for s in re.split(r";\s*$", body, flags=re.MULTILINE) if s.strip()]


def run_sql(conn: Connection, name: str, params: dict[str, Any]) -> None:
    """Run one province SQL file statement by statement in the caller's transaction."""
    for statement in _statements(name):
        conn.execute(text(statement), params)


def ensure_database(url: str) -> None:
    """Create the database if it is missing and migrate it to head."""
    url = normalise_database_url(url)
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}
        ).first()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    from service.migrate import upgrade

    engine = create_engine(url)
    with engine.begin() as conn:
        upgrade(conn)
    engine.dispose()


def counts(conn: Connection) -> dict[str, int]:
    row = conn.execute(
        text("""
        SELECT (SELECT count(*) FROM admin_area WHERE source = 'synthetic' AND level = 'city'),
               (SELECT count(*) FROM admin_area WHERE source = 'synthetic' AND level = 'county'),
               (SELECT count(*) FROM river WHERE source = 'synthetic'),
               (SELECT count(*) FROM segment s JOIN river r ON r.id = s.river_id
                 WHERE r.source = 'synthetic'),
               (SELECT count(*) FROM patrol WHERE is_synthetic),
               (SELECT count(*) FROM patrol_coverage)
    """)
    ).one()
    keys = ("cities", "counties", "rivers", "segments", "patrols", "coverage_intervals")
    return dict(zip(keys, (int(v) for v in row), strict=True))


def build_province(
    url: str, spec: ProvinceSpec, *, patrols: int = 0, year: int = 2026, replace: bool = False
) -> dict[str, Any]:
    """Generate the province (idempotent: an existing one is kept unless ``replace``)."""
    ensure_database(url)
    engine = create_engine(normalise_database_url(url))
    with engine.begin() as conn:
        foreign = conn.execute(
            text("SELECT count(*) FROM admin_area WHERE source IS DISTINCT FROM 'synthetic'")
        ).scalar_one()
        if foreign:
            raise Conflict(
                f"{make_url(url).database} holds real (non-synthetic) areas: the synthetic "
                "province goes into a database of its own"
            )
        existing = counts(conn)
        if existing["segments"] and not replace:
            engine.dispose()
            return {"database": make_url(url).database, "created": False, **existing}
        conn.execute(
            text(
                "TRUNCATE patrol_coverage, patrol, segment, river, admin_area RESTART IDENTITY "
                "CASCADE"
            )
        )
        run_sql(
            conn,
            "geography",
            {
                "seed": spec.seed,
                "n_cities": spec.cities,
                "n_counties": spec.counties,
                "n_rivers": spec.rivers,
                "max_piece_m": spec.max_piece_m,
                "srid": get_settings().metric_srid,
            },
        )
        if patrols:
            add_patrols(conn, patrols, year, seed=spec.seed)
        conn.execute(text("ANALYZE"))
        result = counts(conn)
    engine.dispose()
    return {"database": make_url(url).database, "created": True, **result}


def add_patrols(conn: Connection, n: int, year: int, seed: float = 0.42) -> None:
    """``n`` synthetic patrols in ``year`` with 1-3 covered intervals each (see patrols.sql)."""
    first_id = int(conn.execute(text("SELECT coalesce(max(id), 0) + 1 FROM patrol")).scalar_one())
    run_sql(conn, "patrols", {"seed": seed, "n_patrols": n, "year": year, "first_id": first_id})
