"""Browser tests: a real uvicorn server on 127.0.0.1 over its own throwaway database, and one
headless Debian Chromium for the whole session.

The server runs in a subprocess with its own ``DATABASE_URL`` so it sees only committed data
(it is a separate process, as in production) and leaves this process's settings alone. The
database is created on the test cluster, migrated and loaded with the demo *including*
activity (patrols, problems, meetings — whatever the domains register), so layers are not empty.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import time
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from service.settings import REPO_ROOT, normalise_database_url
from tests.support import free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEFAULT_TEST_SERVER = "postgresql://postgres@127.0.0.1:54339/postgres"
DEMO_PASSWORD = "riverchief-demo"


@dataclass
class LiveServer:
    """A running riverchief: ``url`` to browse, ``api()`` for checks behind the browser's back."""

    url: str
    database_url: str
    tokens: dict[str, str] = field(default_factory=dict)

    def token(self, username: str) -> str:
        if username not in self.tokens:
            res = httpx.post(
                f"{self.url}/api/v1/auth/token",
                data={"username": username, "password": DEMO_PASSWORD},
            )
            res.raise_for_status()
            self.tokens[username] = res.json()["access_token"]
        return self.tokens[username]

    def api(self, path: str, user: str | None = None, **params: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token(user)}"} if user else {}
        res = httpx.get(f"{self.url}{path}", params=params, headers=headers, timeout=30)
        res.raise_for_status()
        return res.json()


def _env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        RIVERCHIEF_ENV="development",
        RIVERCHIEF_BASEMAP="none",  # offline: no tile requests leave the machine
        RIVERCHIEF_MEDIA_DIR=f"/tmp/riverchief-browser-media-{uuid.uuid4().hex[:8]}",
    )
    return env


@contextmanager
def serving(env: dict[str, str], log: Path) -> Iterator[str]:
    """uvicorn serving the app with ``env`` on a free port (output to ``log``) until exit;
    yields its base URL once /healthz answers."""
    port = free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "service.main:create_app", "--factory",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            env=env, cwd=REPO_ROOT, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90  # a busy machine starts slowly
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start: {log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def running_server(*, activity: bool = True) -> Iterator[LiveServer]:
    """A throwaway database on the test cluster (migrated, demo loaded, committed) and a
    uvicorn subprocess serving it on a free port; both removed on exit. Used by the browser
    tests, ``scripts/screenshots.py`` and ``bench/map_bench.py``."""
    admin_url = os.environ.get("RIVERCHIEF_TEST_DATABASE_URL", DEFAULT_TEST_SERVER)
    admin = create_engine(normalise_database_url(admin_url), isolation_level="AUTOCOMMIT")
    name = f"rc_browser_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(str(admin.url)).set(database=name).render_as_string(hide_password=False)
    env = _env(url)
    cli = [sys.executable, "-m", "service.cli"]
    log = Path(f"/tmp/{name}.log")
    try:
        subprocess.run(
            [*cli, "db", "upgrade"], env=env, check=True, cwd=REPO_ROOT, capture_output=True
        )
        demo = [*cli, "load-demo"] + ([] if activity else ["--no-activity"])
        loaded = subprocess.run(demo, env=env, cwd=REPO_ROOT, capture_output=True)
        if loaded.returncode != 0:
            # A domain's demo step is broken: say so loudly, and still test the map on the
            # geography and roster (tests needing activity create their own).
            tail = loaded.stderr.decode(errors="replace")[-600:]
            warnings.warn(
                f"load-demo with activity failed; geography and roster only: {tail}", stacklevel=1
            )
            subprocess.run(
                [*cli, "load-demo", "--no-activity"],
                env=env,
                check=True,
                cwd=REPO_ROOT,
                capture_output=True,
            )
        with serving(env, log) as base:
            yield LiveServer(base, url)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    with running_server() as server:
        yield server


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="package")
def browser(live_server: LiveServer) -> Iterator[Any]:
    # Depends on the server so the browser (and its keep-alive connections) closes first.
    # Package scope: Playwright's sync API keeps an asyncio loop running in this thread while
    # it is open, which breaks every later test that calls asyncio.run() (or starts its own
    # Playwright), so it must be closed when the package's browser tests are done.
    with chromium() as b:
        yield b


class PageWatch:
    """Everything that went wrong while a page ran: failed requests, 4xx/5xx, page errors,
    console errors, and requests that left 127.0.0.1 (a CDN would show up here)."""

    def __init__(self, page: Any, base: str) -> None:
        self.failures: list[tuple[Any, str]] = []
        self.bad_status: list[str] = []
        self.errors: list[str] = []
        self.console: list[str] = []
        self.external: list[str] = []
        self.expected_status: set[int] = set()
        # URL parts whose requests the page itself may cancel (ERR_ABORTED): a tile renderer
        # drops the tiles of a view it has already left. Their other failures still count.
        self.cancellable: tuple[str, ...] = ()
        # Requests still running when the page navigates (a reload) are aborted by the
        # browser, not failed by the server: those are forgiven, whichever event comes first.
        self.in_flight: set[Any] = set()
        self.abandoned: set[Any] = set()
        self.main_frame = page.main_frame
        page.on("request", lambda r: self.in_flight.add(r))
        page.on("requestfinished", lambda r: self.in_flight.discard(r))
        page.on("requestfailed", self._failed)
        page.on("framenavigated", self._navigated)
        page.on("response", self._response)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", self._console)
        page.on(
            "request",
            lambda r: (
                r.url.startswith(("http://", "https://"))
                and not r.url.startswith(base)
                and self.external.append(r.url)
            ),
        )

    @property
    def failed(self) -> list[str]:
        return [f"{r.url} {failure}" for r, failure in self.failures]

    def _failed(self, request: Any) -> None:
        self.in_flight.discard(request)
        aborted = "ERR_ABORTED" in (request.failure or "")
        cancelled = aborted and any(part in request.url for part in self.cancellable)
        if not (aborted and request in self.abandoned) and not cancelled:
            self.failures.append((request, request.failure or ""))

    def _navigated(self, frame: Any) -> None:
        if frame is not self.main_frame:
            return
        self.abandoned |= self.in_flight
        self.abandoned |= {r for r, failure in self.failures if "ERR_ABORTED" in failure}
        self.failures = [(r, f) for r, f in self.failures if r not in self.abandoned]
        self.in_flight.clear()

    def _console(self, message: Any) -> None:
        if message.type != "error":
            return
        # Chromium logs every 4xx as a console error too: an expected status is not one.
        if any(f"status of {s} " in message.text for s in self.expected_status):
            return
        self.console.append(message.text)

    def _response(self, response: Any) -> None:
        if response.status >= 400 and response.status not in self.expected_status:
            self.bad_status.append(f"{response.status} {response.url}")

    def assert_clean(self) -> None:
        assert self.failed == [], self.failed
        assert self.bad_status == [], self.bad_status
        assert self.errors == [], self.errors
        assert self.console == [], self.console
        assert self.external == [], self.external


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(
        viewport={"width": 1280, "height": 800},
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        service_workers="block",
    )
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: Any, live_server: LiveServer) -> Iterator[Any]:
    pg = context.new_page()
    pg.watch = PageWatch(pg, live_server.url)
    yield pg
    pg.close()


def open_map(page: Any, live_server: LiveServer) -> None:
    """Load the map and wait until every layer of the first render is drawn."""
    page.goto(live_server.url + "/")
    page.wait_for_selector("body[data-ready='1']", timeout=20000)
    # The workbench shell (loaded after the map) is listening for sign-in.
    page.wait_for_selector("body[data-wb='1']", state="attached", timeout=20000)


def sign_in(page: Any, username: str, *, workbench: bool = False) -> None:
    """Sign in through the header's form. The workbench then opens its start page (我的待办)
    beside the map; tests of the map itself (clicks at map points) get the whole map back by
    clicking 地图 in the workbench navigation, as a user would. ``workbench=True`` keeps it."""
    page.click("#btn-login")
    page.fill("#form-login input[name=username]", username)
    page.fill("#form-login input[name=password]", DEMO_PASSWORD)
    page.click("#form-login button[type=submit]")
    from playwright.sync_api import expect

    try:
        expect(page.locator("#btn-login")).to_contain_text(username)
    except AssertionError as exc:
        raise AssertionError(f"sign-in failed: {page.inner_text('#login-error')!r}") from exc
    if not workbench:
        nav = page.get_by_role("navigation", name="工作台")
        if nav.is_visible():
            page.locator("#wb-workspace").wait_for(state="visible", timeout=10000)
            nav.get_by_role("button", name="地图").click()
            page.locator("#wb-workspace").wait_for(state="hidden", timeout=10000)


def click_river(page: Any, live_server: LiveServer, river_id: int) -> None:
    """Click the map on a vertex of the river's segments where its line is drawn, the one
    farthest from any problem marker or crossing (they sit on top and take the click)."""
    segs = live_server.api("/api/v1/segments.geojson", river_id=river_id)["features"]
    others = [
        f["geometry"]["coordinates"]
        for f in live_server.api("/api/v1/problems.geojson")["features"]
        if f.get("geometry")
    ]
    for n in live_server.api("/api/v1/cross-boundary"):
        others.extend([c["lon"], c["lat"]] for r in n["rivers"] for c in r["crossings"])
    vertices = [c for f in segs for c in f["geometry"]["coordinates"][2:-2]]

    def clearance(c: list[float]) -> float:
        return min((math.hypot(c[0] - o[0], c[1] - o[1]) for o in others), default=1.0)

    # Try the clearest vertices first; click the first one whose pixel shows this river
    # (not a control, the legend, a label or another layer drawn on top).
    for lon, lat in sorted(vertices, key=clearance, reverse=True)[:40]:
        x, y = map_point(page, lon, lat)
        hit = page.evaluate(
            """([x, y, cls]) => {
                const el = document.elementFromPoint(x, y);
                return Boolean(el && el.classList && el.classList.contains(cls));
            }""",
            [x, y, f"river-{river_id}"],
        )
        if hit:
            page.mouse.click(x, y)
            return
    raise AssertionError(f"river {river_id} is drawn nowhere clickable")


def map_point(page: Any, lon: float, lat: float) -> tuple[float, float]:
    """Page pixel of a lon/lat on the map as currently drawn."""
    x, y = page.evaluate(
        """([lat, lon]) => {
            const map = window.riverchiefMap;
            const p = map.latLngToContainerPoint([lat, lon]);
            const r = map.getContainer().getBoundingClientRect();
            return [r.left + p.x, r.top + p.y];
        }""",
        [lat, lon],
    )
    return float(x), float(y)


def river_id(live_server: LiveServer, name: str) -> int:
    rivers = live_server.api("/api/v1/rivers")
    return next(r["id"] for r in rivers if r["name"] == name)
