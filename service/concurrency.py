"""Per-event-loop semaphores: how many of one kind of heavy work a worker runs at once, and
how many may wait for it.

An asyncio semaphore belongs to the loop it was first used on; a worker has one loop, tests
start one per client, so each loop gets its own, made on first use with the size asked then.
:func:`admitted` adds a bound on the waiting line (issue 14): past it the next caller gets
503 with ``Retry-After`` at once instead of queueing without end.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from service.errors import ServiceBusy

_semaphores: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Semaphore]] = (
    weakref.WeakKeyDictionary()
)
_waiting: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, int]] = (
    weakref.WeakKeyDictionary()
)
#: Seconds a refused caller is told to wait.
RETRY_AFTER_S = 5


def loop_semaphore(name: str, size: int) -> asyncio.Semaphore:
    """The running loop's semaphore called ``name`` (``size`` counts only when it is made)."""
    loop = asyncio.get_running_loop()
    by_name = _semaphores.setdefault(loop, {})
    if name not in by_name:
        by_name[name] = asyncio.Semaphore(size)
    return by_name[name]


def waiting(name: str) -> int:
    """How many callers of the running loop wait for the semaphore ``name``."""
    return _waiting.setdefault(asyncio.get_running_loop(), {}).get(name, 0)


def check_queue(name: str, size: int, queue_max: int, what: str) -> None:
    """Raise ServiceBusy (503) when ``name`` is busy and ``queue_max`` callers already wait."""
    semaphore = loop_semaphore(name, size)
    if semaphore.locked() and waiting(name) >= queue_max:
        raise ServiceBusy(
            f"{waiting(name)} {what} are already waiting on this server; retry shortly",
            code="busy",
            retry_after=RETRY_AFTER_S,
        )


@asynccontextmanager
async def admitted(name: str, size: int, queue_max: int, what: str) -> AsyncIterator[None]:
    """Hold one of ``size`` slots of ``name``; wait behind at most ``queue_max`` others,
    else 503 with Retry-After (:func:`check_queue`)."""
    check_queue(name, size, queue_max, what)
    semaphore = loop_semaphore(name, size)
    counts = _waiting.setdefault(asyncio.get_running_loop(), {})
    counts[name] = counts.get(name, 0) + 1
    queued = True
    try:
        async with semaphore:
            counts[name] -= 1
            queued = False
            yield
    finally:
        if queued:
            counts[name] -= 1
