"""Engine and sessions: one engine per process, one session per request."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Annotated

from fastapi import Depends
from sqlalchemy import Connection, Engine, create_engine, inspect, select, text
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from service.settings import get_settings


class Base(DeclarativeBase):
    """Declarative base for every table; ``service.domains.compose()`` imports all of them."""


_sessions_configured = False


def sessions_configured() -> None:
    """Called by ``service.domains.compose()`` once the domains' session setup (the audit
    log's listeners) is installed."""
    global _sessions_configured
    _sessions_configured = True


@lru_cache
def get_engine() -> Engine:
    """The process-wide engine (pool_pre_ping: survive a PostGIS restart)."""
    settings = get_settings()
    return create_engine(settings.database_url, pool_pre_ping=True, pool_size=10, max_overflow=20)


#: Planner settings for PostGIS-heavy reads: PostGIS functions carry cost estimates that pass
#: ``jit_above_cost`` (seconds of compiling for nothing), and psycopg prepares a statement after
#: 5 runs, after which a generic plan ignores how many rows a period holds. ``no_jit`` sets them
#: per transaction on the main pool; the read pool's connections start with them.
READ_PLANNER_SETTINGS = {"jit": "off", "plan_cache_mode": "force_custom_plan"}


@lru_cache
def get_read_engine() -> Engine:
    """A second pool for hot read-only statements (vector tiles rendered on a cache miss).

    Autocommit, so a tile is one round trip instead of BEGIN, the statement and ROLLBACK; no
    pre-ping, one more round trip per checkout (after a PostGIS restart the first statement on
    a dead connection fails, answers 503 and invalidates the pool, so the next one reconnects);
    ``READ_PLANNER_SETTINGS`` for the whole connection.
    """
    settings = get_settings()
    return create_engine(
        settings.database_url,
        pool_pre_ping=False,
        isolation_level="AUTOCOMMIT",
        pool_size=10,
        max_overflow=20,
        connect_args={"options": " ".join(f"-c {k}={v}" for k, v in READ_PLANNER_SETTINGS.items())},
    )


#: What read-only queries run on: the request's ORM session, or a read-pool connection.
Executor = Session | Connection


@lru_cache
def get_sessionmaker() -> sessionmaker[Session]:
    # Every Session writes the audit log through listeners the composition installs; a
    # session made before it would write unaudited, so refuse instead of forgetting quietly.
    if not _sessions_configured:
        raise RuntimeError("sessions before composition: call service.domains.compose() first")
    return sessionmaker(bind=get_engine(), expire_on_commit=False)


def get_session() -> Iterator[Session]:
    """A request-scoped session; routes commit explicitly, anything else rolls back."""
    with get_sessionmaker()() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def region_default(sql: str) -> Callable[[DefaultExecutionContext], str]:
    """A column default computing a row's ``region_code`` from the row's other values.

    ``sql`` is one ``SELECT`` of the region whose bind parameters name columns of the
    inserted row (e.g. ``SELECT region_of_chief(:chief_id)``; the functions are in migration
    0017). Computed before the INSERT is sent, because Citus routes a row to its shard by
    this value (docs/scaling.md); on one PostGIS it is just a column.
    """
    statement = text(sql)
    names = tuple(statement.compile().params)

    def default(context: DefaultExecutionContext) -> str:
        row = context.get_current_parameters()
        params = {name: row.get(name) for name in names}
        return str(context.connection.execute(statement, params).scalar_one())

    return default


def refresh_for_update(session: Session, entity: object) -> None:
    """``session.refresh(entity, with_for_update=True)``, routed to one shard on Citus.

    A row of a distributed table (one with ``region_code``) is locked by its key *and* its
    region: Citus runs ``SELECT ... FOR UPDATE`` only on a single shard (docs/scaling.md). On
    one PostGIS the extra condition changes nothing.
    """
    region = getattr(entity, "region_code", None)
    if region is None:
        session.refresh(entity, with_for_update=True)
        return
    mapper = inspect(entity).mapper
    key = {col.key: getattr(entity, col.key) for col in mapper.primary_key}
    cls = mapper.class_
    query = select(cls).filter_by(**key, region_code=region).with_for_update()
    session.execute(query.execution_options(populate_existing=True)).scalar_one()
