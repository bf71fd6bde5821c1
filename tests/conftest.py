"""Test harness: a real PostGIS, one throwaway database per test session.

The database is created on the test cluster (``RIVERCHIEF_TEST_DATABASE_URL``, default the
one ``make test`` starts on 127.0.0.1:54339), migrated with Alembic and loaded with the demo
geography and roster (``load-demo --no-activity``). Each test runs inside a transaction that is
rolled back at the end (routes' commits become savepoint releases), so tests never see each
other's rows. Tests that need a real server process (browser, load) use ``live_server``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from functools import cache

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session

DEFAULT_TEST_SERVER = "postgresql://postgres@127.0.0.1:54339/postgres"
# Starlette's TestClient sends ``Host: testserver``; live servers are reached at 127.0.0.1.
os.environ.setdefault("RIVERCHIEF_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1,::1")


#: Tests that cannot run on a Citus cluster (``make test-citus``), each with its reason; they
#: are skipped there and run everywhere else (docs/scaling.md, "Tests on Citus").
CITUS_SKIP: dict[str, str] = {
    "tests/test_migrations.py": "after `db distribute` the keys carry region_code and the foreign "
    "keys Citus cannot keep are gone: the schema differs from the models by design "
    "(docs/scaling.md, items 5-7)",
}


@cache
def on_citus() -> bool:
    """Whether the test server is a Citus coordinator with workers (``make test-citus``)."""
    from service.citus.cluster import has_citus

    admin = _admin_engine()
    try:
        with admin.connect() as conn:
            return has_citus(conn)
    finally:
        admin.dispose()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not CITUS_SKIP or not on_citus():
        return
    for item in items:
        for prefix, reason in CITUS_SKIP.items():
            if item.nodeid == prefix or item.nodeid.startswith(prefix + "::"):
                item.add_marker(pytest.mark.skip(reason=f"not on Citus: {reason}"))


def _admin_engine() -> Engine:
    from service.settings import normalise_database_url

    url = os.environ.get("RIVERCHIEF_TEST_DATABASE_URL", DEFAULT_TEST_SERVER)
    return create_engine(normalise_database_url(url), isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """A fresh, migrated, demo-loaded database for this test session."""
    admin = _admin_engine()
    name = f"rc_test_{uuid.uuid4().hex[:10]}"
    citus = on_citus()
    with admin.connect() as conn:
        if citus:  # on every node, with Citus and PostGIS, the workers added
            from service.citus.cluster import create_database

            create_database(conn, name)
        else:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(str(admin.url)).set(database=name).render_as_string(hide_password=False)
    os.environ["DATABASE_URL"] = url
    os.environ["RIVERCHIEF_ENV"] = "development"
    os.environ.setdefault("RIVERCHIEF_MEDIA_DIR", f"/tmp/riverchief-test-media-{name}")
    # Tests change data in transactions they roll back, which no layer version sees: the
    # read cache is off except where tests/web/test_read_cache.py turns it on.
    os.environ.setdefault("RIVERCHIEF_READ_CACHE_TTL_S", "0")
    from service.db import get_engine, get_read_engine, get_sessionmaker
    from service.settings import get_settings

    get_settings.cache_clear()
    get_engine.cache_clear()
    get_read_engine.cache_clear()
    get_sessionmaker.cache_clear()
    from service.demo.load import load_demo
    from service.domains import compose
    from service.migrate import upgrade

    upgrade()
    if citus:  # as `riverchief db distribute` does after `db upgrade` on a coordinator
        from service.citus.distribute import distribute

        with get_engine().begin() as conn:
            distribute(conn)
        get_engine().dispose()  # new connections take the database's Citus settings
    composition = compose()  # as create_app() and the CLI do: tables, audit, hooks, demo
    with get_sessionmaker()() as session:
        load_demo(session, composition, activity=False, progress=False)
    try:
        yield url
    finally:
        get_engine().dispose()
        get_read_engine().dispose()
        get_engine.cache_clear()
        get_read_engine.cache_clear()
        get_sessionmaker.cache_clear()
        with admin.connect() as conn:
            if citus:
                from service.citus.cluster import drop_database

                drop_database(conn, name)
            else:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Engine:
    from service.db import get_engine

    return get_engine()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction rolled back after the test."""
    connection = engine.connect()
    outer = connection.begin()
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def app(db: Session):  # type: ignore[no-untyped-def]
    from service.db import get_session
    from service.main import create_app

    application = create_app()
    application.dependency_overrides[get_session] = lambda: db
    return application


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def auth_headers(db: Session) -> Callable[[str], dict[str, str]]:
    """``auth_headers("office")`` -> bearer headers for the demo account of that username.

    Demo accounts (development): office, chief (岷江's municipal chief), liaison (市水务局),
    county (511111 沙湾区), patrol (records for 岷江's chief), meishan (neighbor_viewer 511400).
    """
    from service.auth.models import UserAccount
    from service.auth.tokens import issue_token

    def headers(username: str) -> dict[str, str]:
        user = db.scalar(select(UserAccount).where(UserAccount.username == username))
        assert user is not None, f"no demo account {username}"
        return {"Authorization": f"Bearer {issue_token(user.id, user.token_version)}"}

    return headers
