"""In-process sliding-window rate limits (per IP, per username, per contact…).

The counters live in the application object (``app.state``), so every test app starts clean
and each worker process counts on its own: with N workers an address gets at most N times
the limit, which is still a limit. Account lockout (``user_account.failed_logins``/
``locked_until``) is in the database and holds across workers and restarts.

Use from a route::

    limiter = get_limiter(request, "public_reports", limit=5, window_s=3600)
    limiter.hit(client_ip(request))          # raises TooManyRequests (429, Retry-After)
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque

from starlette.requests import Request

from service.errors import TooManyRequests

#: Keys remembered per limiter; the least recently used are dropped past this, so a flood
#: of distinct addresses cannot grow memory without bound.
MAX_KEYS = 50_000


class SlidingWindow:
    """At most ``limit`` events per ``window_s`` seconds for each key."""

    def __init__(self, limit: int, window_s: float, clock: object = time.monotonic) -> None:
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._events: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _now(self) -> float:
        return float(self._clock())  # type: ignore[operator]

    def _recent(self, key: str, now: float) -> deque[float]:
        events = self._events.setdefault(key, deque())
        self._events.move_to_end(key)
        while events and events[0] <= now - self.window_s:
            events.popleft()
        while len(self._events) > MAX_KEYS:
            self._events.popitem(last=False)
        return events

    def retry_after(self, key: str) -> int:
        """Seconds until ``key`` may act again (0 when it may now)."""
        with self._lock:
            now = self._now()
            events = self._recent(key, now)
            if len(events) < self.limit:
                return 0
            return max(1, math.ceil(events[0] + self.window_s - now))

    def record(self, key: str) -> None:
        """Count one event for ``key`` (e.g. a failed login) without checking."""
        with self._lock:
            now = self._now()
            self._recent(key, now).append(now)

    def check(self, key: str, what: str = "requests") -> None:
        """Raise TooManyRequests when ``key`` is over its limit; does not count."""
        wait = self.retry_after(key)
        if wait:
            raise TooManyRequests(
                f"too many {what}: try again in {wait} s",
                code="rate_limited",
                retry_after=wait,
            )

    def hit(self, key: str, what: str = "requests") -> None:
        """Check, then count one event for ``key``."""
        self.check(key, what)
        self.record(key)

    def reset(self, key: str) -> None:
        with self._lock:
            self._events.pop(key, None)


def get_limiter(request: Request, name: str, *, limit: int, window_s: float) -> SlidingWindow:
    """The app's limiter called ``name`` (created on first use with these numbers)."""
    state = request.app.state
    with _registry_lock:
        limiters: dict[str, SlidingWindow] | None = getattr(state, "rate_limiters", None)
        if limiters is None:
            limiters = {}
            state.rate_limiters = limiters
        if name not in limiters:
            limiters[name] = SlidingWindow(limit, window_s)
        return limiters[name]


_registry_lock = threading.Lock()


def client_ip(request: Request) -> str:
    """The caller's address as the server saw it (uvicorn applies X-Forwarded-For from a
    trusted proxy only, ``--proxy-headers``/``--forwarded-allow-ips``)."""
    return request.client.host if request.client else "unknown"
