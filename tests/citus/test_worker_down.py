"""A stopped Citus worker reaches the client as 503 ``database_unavailable`` with Retry-After,
like a stopped PostGIS (issue 23).

A test cannot stop a worker; bench/citus.py's fault drill does (bench/README.md, "Citus
against one PostGIS"). What the coordinator answered there, while the worker holding the
uploads' shard was down: ``connection to the remote node … failed with the following error:
Connection refused`` (or ``FATAL: the database system is shutting down``) and ``terminating
connection due to administrator command``. Citus raises the first with SQLSTATE 08006
(``ReportConnectionError``, and ``could not establish any connections to the node`` too) and
passes the second on with the worker's 57P01. Checked here: psycopg makes both
``OperationalError``s, and the app answers an ``OperationalError`` with 503 and Retry-After.
"""

from __future__ import annotations

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

from service.main import create_app

WORKER_DOWN = {
    "08006": "connection to the remote node postgres@127.0.0.1:9712 failed with the following "
    "error: Connection refused",
    "57P01": "terminating connection due to administrator command",
}


@pytest.mark.parametrize("sqlstate", sorted(WORKER_DOWN))
def test_worker_down_errors_are_operational_errors(sqlstate: str) -> None:
    assert issubclass(psycopg.errors.lookup(sqlstate), psycopg.OperationalError)


@pytest.mark.usefixtures("database_url")  # the test settings (development, allowed hosts)
@pytest.mark.parametrize("sqlstate", sorted(WORKER_DOWN))
def test_worker_down_is_503_with_retry_after(sqlstate: str) -> None:
    app = create_app()
    error = psycopg.errors.lookup(sqlstate)(WORKER_DOWN[sqlstate])

    @app.get("/test-worker-down")
    def worker_down() -> None:
        raise OperationalError("INSERT INTO patrol ...", {}, error)

    r = TestClient(app).get("/test-worker-down")
    assert r.status_code == 503
    assert r.json()["code"] == "database_unavailable"
    assert r.headers["Retry-After"] == "2"
