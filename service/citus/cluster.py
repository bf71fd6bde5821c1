"""A fresh database on a Citus cluster: created on every node, with Citus and PostGIS in each
and the workers added to the coordinator (what tests/conftest.py and bench/citus.py need for
each throwaway database; ``scripts/citus.sh`` does the same in shell for ``riverchief``)."""

from __future__ import annotations

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import URL, make_url

EXTENSIONS = ("citus", "postgis")


def has_citus(admin: Connection) -> bool:
    """Whether the server behind ``admin`` is a Citus coordinator with workers."""
    if not admin.execute(
        text("SELECT count(*) FROM pg_extension WHERE extname = 'citus'")
    ).scalar():
        return False
    return bool(admin.execute(text("SELECT count(*) FROM pg_dist_node WHERE groupid > 0")).scalar())


def workers(admin: Connection) -> list[tuple[str, int]]:
    return [
        (str(host), int(port))
        for host, port in admin.execute(
            text(
                "SELECT nodename, nodeport FROM pg_dist_node WHERE groupid > 0 "
                "AND noderole = 'primary' ORDER BY nodeid"
            )
        )
    ]


def _ensure_extensions(conn: Connection) -> None:
    # A worker with Citus metadata refuses even CREATE EXTENSION IF NOT EXISTS: ask first.
    have = {str(n) for (n,) in conn.execute(text("SELECT extname FROM pg_extension"))}
    for ext in EXTENSIONS:
        if ext not in have:
            conn.execute(text(f"CREATE EXTENSION {ext}"))


def create_database(admin: Connection, name: str) -> None:
    """CREATE DATABASE ``name`` on the coordinator behind ``admin`` (autocommit) and every
    worker it knows, then Citus and PostGIS in each and the workers added to it."""
    nodes = workers(admin)
    # Citus 13.0 does not propagate CREATE DATABASE: each worker gets it from its own server.
    admin.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(str(admin.engine.url)).set(database=name)
    coordinator_port = url.port or 5432
    for host, port in nodes:
        _on_node(url.set(host=host, port=port, database="postgres"), f'CREATE DATABASE "{name}"')
        engine = create_engine(url.set(host=host, port=port), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                _ensure_extensions(conn)
        finally:
            engine.dispose()
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            _ensure_extensions(conn)
            conn.execute(
                text("SELECT citus_set_coordinator_host(:h, :p)"),
                {"h": url.host or "127.0.0.1", "p": coordinator_port},
            )
            for host, port in nodes:
                conn.execute(text("SELECT citus_add_node(:h, :p)"), {"h": host, "p": port})
    finally:
        engine.dispose()


def _on_node(url: URL, statement: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()


def drop_database(admin: Connection, name: str) -> None:
    """DROP DATABASE ``name`` on the coordinator, then on each worker."""
    nodes = workers(admin)
    admin.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    url = make_url(str(admin.engine.url)).set(database="postgres")
    for host, port in nodes:
        _on_node(url.set(host=host, port=port), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
