"""Per-event-loop semaphores: how many of one kind of heavy work a worker runs at once.

An asyncio semaphore belongs to the loop it was first used on; a worker has one loop, tests
start one per client, so each loop gets its own, made on first use with the size asked then.
"""

from __future__ import annotations

import asyncio
import weakref

_semaphores: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Semaphore]] = (
    weakref.WeakKeyDictionary()
)


def loop_semaphore(name: str, size: int) -> asyncio.Semaphore:
    """The running loop's semaphore called ``name`` (``size`` counts only when it is made)."""
    loop = asyncio.get_running_loop()
    by_name = _semaphores.setdefault(loop, {})
    if name not in by_name:
        by_name[name] = asyncio.Semaphore(size)
    return by_name[name]
