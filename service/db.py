"""Engine and sessions: one engine per process, one session per request."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Annotated

from fastapi import Depends
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from service.settings import get_settings


class Base(DeclarativeBase):
    """Declarative base for every table; ``service.models`` imports all of them."""


@lru_cache
def get_engine() -> Engine:
    """The process-wide engine (pool_pre_ping: survive a PostGIS restart)."""
    settings = get_settings()
    return create_engine(settings.database_url, pool_pre_ping=True, pool_size=10, max_overflow=20)


@lru_cache
def get_sessionmaker() -> sessionmaker[Session]:
    # Every Session writes the audit log through its events; make sure they are registered
    # wherever sessions are made (app, CLI, jobs, tests).
    from service.security import audit  # noqa: F401

    return sessionmaker(bind=get_engine(), expire_on_commit=False)


def get_session() -> Iterator[Session]:
    """A request-scoped session; routes commit explicitly, anything else rolls back."""
    with get_sessionmaker()() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
