"""Admission of patrol uploads: at most ``upload_concurrency`` are matched at once per process,
and at most ``upload_queue_max`` wait for their turn.

Parsing, cleaning and matching a track keeps a core busy for a good fraction of a second. Fifty
phones uploading at once would otherwise take every worker thread and database connection, and
the map's reads (the office's all-day screen) would queue behind them. Uploads past the limit
wait here, in the event loop, holding neither a thread nor a connection, but holding their
bodies in memory (up to ``track_max_bytes`` each). So the line is bounded too (issue 14):
past ``upload_queue_max`` waiting uploads the next one is refused with 503 and
``Retry-After`` — before its body is read (:func:`upload_queue_open`) and again when it asks
for a slot. The phone app keeps the GPX and retries with the same ``client_id``, so a refused
upload is stored once, later.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends
from starlette.concurrency import run_in_threadpool

from service.concurrency import admitted, check_queue
from service.db import SessionDep
from service.settings import get_settings

NAME = "patrol-uploads"
WHAT = "patrol uploads"


async def upload_queue_open() -> None:
    """A FastAPI dependency placed before the form: refuse at once when the line is full,
    so a refused upload's body is never read."""
    s = get_settings()
    check_queue(NAME, s.upload_concurrency, s.upload_queue_max, WHAT)


async def upload_slot(session: SessionDep) -> AsyncIterator[None]:
    """A FastAPI dependency held for the whole upload route (after auth and the form)."""
    # Checking the token opened a read transaction; end it so the wait holds no connection.
    await run_in_threadpool(session.commit)
    s = get_settings()
    async with admitted(NAME, s.upload_concurrency, s.upload_queue_max, WHAT):
        yield


UploadQueueOpen = Annotated[None, Depends(upload_queue_open)]
UploadSlot = Annotated[None, Depends(upload_slot)]
