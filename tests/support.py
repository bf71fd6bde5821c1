"""Shared by tests in several packages: constants of the real Leshan data under ``gis_data``,
and a uvicorn server in a background thread over the session's database (committed data)."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import uvicorn
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.rivers.models import River

#: The ``auth_headers`` fixture: a demo username to its bearer headers.
Headers = Callable[[str], dict[str, str]]

#: The 11 county-level units of 乐山市 that have a boundary in ``gis_data``.
LESHAN_COUNTIES = frozenset(
    {
        "511102",
        "511111",
        "511112",
        "511113",
        "511123",
        "511124",
        "511126",
        "511129",
        "511132",
        "511133",
        "511181",
    }
)


def river_id(db: Session, name: str) -> int:
    """The id of the registered river called ``name`` (fails the test if there is none)."""
    found = db.scalar(select(River.id).where(River.name == name))
    assert found is not None, name
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_app(ready_path: str = "/ogc", **options: object) -> Iterator[str]:
    """Serve ``create_app()`` on a free port of 127.0.0.1; yield its base URL. ``options``
    go to ``uvicorn.Config`` (e.g. what ``riverchief serve`` passes)."""
    from service.main import create_app

    port = free_port()
    config = uvicorn.Config(
        create_app(),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        **options,  # type: ignore[arg-type]
    )
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}{ready_path}", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        raise RuntimeError("uvicorn did not start")
    try:
        yield base
    finally:
        instance.should_exit = True
        thread.join(timeout=10)


class AtOnce:
    """How many calls are inside at the same time, and the most seen (``most``)."""

    def __init__(self) -> None:
        self.running = 0
        self.most = 0
        self._lock = threading.Lock()

    @contextmanager
    def inside(self, seconds: float) -> Iterator[None]:
        """Count this call as inside for at least ``seconds`` (so overlaps show)."""
        with self._lock:
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            time.sleep(seconds)
            yield
        finally:
            with self._lock:
                self.running -= 1


@contextmanager
def scratch_database(prefix: str) -> Iterator[str]:
    """An empty database of its own on the test cluster, dropped on exit; yields its URL.

    For tests whose writes must be committed (a command in a subprocess, a restore) without
    touching the session's shared database."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from service.settings import normalise_database_url
    from tests.conftest import DEFAULT_TEST_SERVER

    server = os.environ.get("RIVERCHIEF_TEST_DATABASE_URL", DEFAULT_TEST_SERVER)
    admin = create_engine(normalise_database_url(server), isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(str(admin.url)).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def cli_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a ``riverchief`` subprocess on ``database_url`` (development mode,
    offline basemap, a media directory of its own)."""
    import uuid

    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "RIVERCHIEF_ENV": "development",
        "RIVERCHIEF_BASEMAP": "none",
        "RIVERCHIEF_MEDIA_DIR": f"/tmp/riverchief-cli-media-{uuid.uuid4().hex[:8]}",
        **extra,
    }
