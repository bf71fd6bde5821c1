"""Admission of patrol uploads: at most ``upload_concurrency`` are matched at once per process.

Parsing, cleaning and matching a track keeps a core busy for a good fraction of a second. Fifty
phones uploading at once would otherwise take every worker thread and database connection, and
the map's reads (the office's all-day screen) would queue behind them. Uploads past the limit
wait here, in the event loop, holding neither a thread nor a connection. None is refused: each
waits its turn, bounded only by the client's patience.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends
from starlette.concurrency import run_in_threadpool

from service.concurrency import loop_semaphore
from service.db import SessionDep
from service.settings import get_settings


async def upload_slot(session: SessionDep) -> AsyncIterator[None]:
    """A FastAPI dependency held for the whole upload route (after auth and the form)."""
    # Checking the token opened a read transaction; end it so the wait holds no connection.
    await run_in_threadpool(session.commit)
    async with loop_semaphore("patrol-uploads", get_settings().upload_concurrency):
        yield


UploadSlot = Annotated[None, Depends(upload_slot)]
