"""Map reads served from memory, keyed by the data versions of the layers they read.

The map's layers (river lines, boundaries, the river list, coverage, problems) change only
when their tables do, and everyone with the map open asks for them again and again. During a
burst of patrol uploads every core is busy matching tracks; answering these reads from memory
keeps the map fast then (issue 9's load test: 200 reads/s during 50 concurrent uploads). The
versions come from the per-process poller of ``layer_version`` (``service.tiles.versions``),
bumped at commit by triggers on the layers' tables, so an anonymous hit costs no thread, no
session and no database round trip.

Correctness: the key holds the versions read *before* the route runs, so an entry never holds
data older than its key (versions only move forward); after a commit, a hit can be stale for
at most one poll interval (``tile_version_poll_s``). Answers that also depend on the clock
(today's assignments, the current year's coverage, overdue problems) expire after
``read_cache_ttl_s``. Only GETs answered 200 are stored.

Who may see what: an anonymous entry is shared by anonymous callers only. A signed-in request
is checked first as the route would (token signature and expiry, then the account's
``token_version`` and ``disabled`` flag read from the database on every request, so revoking
stays immediate) and keys its own entry by the account's :class:`~service.auth.scope.Scope`,
the very object the routes scope their reads by, loaded from the columns it names (plus the
``registry`` layer that holds the assignments). A field added to the scope is therefore in
the key without a change here. A token that fails any check is passed to the route, which
answers 401.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Send
from starlette.types import Scope as ASGIScope

from service.auth.download_links import PARAM as DOWNLOAD_PARAM
from service.auth.models import UserAccount
from service.auth.scope import ANONYMOUS, Scope
from service.auth.tokens import read_token
from service.db import get_read_engine
from service.errors import DomainError
from service.settings import get_settings
from service.tiles.versions import polled_versions

#: Larger answers stream through uncached (the cache is for the map's everyday layers).
MAX_BODY_BYTES = 8 * 1024 * 1024
#: Response headers never stored (recomputed per answer or per hop).
HOP_HEADERS = {b"content-length", b"date", b"server", b"set-cookie"}
#: Whether the token still holds, and the caller's scope: what its answers may depend on
#: besides the data.
ACCOUNT_QUERY = select(UserAccount.token_version, UserAccount.disabled, *Scope.columns()).where(
    UserAccount.id == bindparam("id")
)

Key = tuple[str, bytes, bool, tuple[int, ...], Scope]


@dataclass(frozen=True)
class Entry:
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes
    expires: float


def _etag_of(headers: list[tuple[bytes, bytes]]) -> bytes | None:
    for name, value in headers:
        if name.lower() == b"etag":
            return value
    return None


def _matches(if_none_match: bytes, etag: bytes) -> bool:
    return etag in [tag.strip() for tag in if_none_match.split(b",")]


def _account(user_id: int, token_version: int) -> Scope | None:
    """The caller's scope, or None when the account is gone, disabled or the token revoked."""
    with get_read_engine().connect() as conn:  # one round trip: autocommit, no pre-ping
        row = conn.execute(ACCOUNT_QUERY, {"id": user_id}).one_or_none()
    if row is None or row.disabled or row.token_version != token_version:
        return None
    return Scope.from_row(row._mapping)


def cache_key(
    path: str, query: bytes, gzip_ok: bool, versions: tuple[int, ...], caller: Scope
) -> Key:
    """An entry's key: the request, the data versions, and the caller's whole scope."""
    return (path, query, gzip_ok, versions, caller)


async def _caller(authorization: bytes) -> Scope | None:
    scheme, _, token = authorization.decode("latin-1").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    try:
        user_id, version = read_token(token.strip())
    except DomainError:
        return None
    return await run_in_threadpool(_account, user_id, version)


class ReadCache:
    """ASGI middleware: serves and stores the answers of the cached reads the domains declare
    (``service.domains``: each path and the layers of ``service.tiles.models.LAYER_TABLES``
    its answer reads)."""

    def __init__(self, app: ASGIApp, cached_reads: Mapping[str, tuple[str, ...]]) -> None:
        self.app = app
        self.cached_reads = dict(cached_reads)
        self.entries: OrderedDict[Key, Entry] = OrderedDict()
        self.size = 0  # bytes held by entries
        # Keys being filled: concurrent misses wait for the one route run instead of each
        # recomputing the same answer (a version bump during an upload burst would otherwise
        # start dozens of identical coverage queries).
        self.filling: dict[Key, asyncio.Event] = {}

    async def _key(self, scope: ASGIScope) -> Key | None:
        if scope["type"] != "http" or scope["method"] != "GET":
            return None
        layers = self.cached_reads.get(scope["path"])
        if layers is None:
            return None
        if DOWNLOAD_PARAM.encode() in scope["query_string"]:
            return None  # a single-use link: its answer is that account's, and only once
        settings = get_settings()
        if settings.read_cache_ttl_s <= 0:
            return None
        poller = polled_versions(settings.tile_version_poll_s)
        if poller is None:
            return None
        headers = dict(scope["headers"])
        caller = ANONYMOUS
        authorization = headers.get(b"authorization")
        if authorization is not None:
            try:
                found = await _caller(authorization)
            except SQLAlchemyError:
                # Outside the routes no handler turns a database error into its 503: let
                # the route meet it.
                return None
            if found is None:
                return None  # the route answers 401
            caller = found
            layers = (*layers, "registry")  # scopes follow assignments
        versions = [poller.get(layer) for layer in layers]
        if any(v is None for v in versions):  # the poller lost the database: no guessing
            return None
        gzip_ok = b"gzip" in headers.get(b"accept-encoding", b"").lower()
        return cache_key(
            scope["path"], scope["query_string"], gzip_ok, tuple(v or 0 for v in versions), caller
        )

    async def __call__(self, scope: ASGIScope, receive: Receive, send: Send) -> None:
        key = await self._key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        entry = self._fresh(key)
        if entry is None and key in self.filling:
            await self.filling[key].wait()
            entry = self._fresh(key)
        if entry is not None:
            await self._answer(scope, send, entry, b"hit")
            return
        filled = self.filling[key] = asyncio.Event()
        try:
            await self._fill(scope, receive, send, key)
        finally:
            del self.filling[key]
            filled.set()

    def _fresh(self, key: Key) -> Entry | None:
        entry = self.entries.get(key)
        if entry is None or entry.expires <= time.monotonic():
            return None
        self.entries.move_to_end(key)
        return entry

    async def _answer(self, scope: ASGIScope, send: Send, entry: Entry, state: bytes) -> None:
        headers = [*entry.headers, (b"x-cache", state)]
        if_none_match = dict(scope["headers"]).get(b"if-none-match")
        if if_none_match and _matches(if_none_match, entry.etag):
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        headers.append((b"content-length", str(len(entry.body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": entry.body})

    async def _fill(self, scope: ASGIScope, receive: Receive, send: Send, key: Key) -> None:
        """Run the route; keep its 200 answer (buffered: these bodies are built whole anyway)."""
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0
        passing = False  # not cacheable: forward everything as it comes

        async def capture(message: Message) -> None:
            nonlocal start, size, passing
            if passing:
                await send(message)
            elif message["type"] == "http.response.start":
                start = message
                if message["status"] != 200 or any(
                    name.lower() == b"set-cookie" for name, _ in message.get("headers", [])
                ):
                    passing = True
                    await send(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                if size > MAX_BODY_BYTES:
                    passing = True
                    assert start is not None
                    await send(start)
                    await send({**message, "body": b"".join(chunks)})
                    chunks.clear()
            else:
                await send(message)

        await self.app(scope, receive, capture)
        if passing or start is None:
            return
        body = b"".join(chunks)
        headers = [(n, v) for n, v in start.get("headers", []) if n.lower() not in HOP_HEADERS]
        etag = _etag_of(headers)
        if etag is None:
            etag = b'"' + hashlib.sha256(body).hexdigest()[:32].encode() + b'"'
            headers.append((b"etag", etag))
        settings = get_settings()
        entry = Entry(headers, body, etag, time.monotonic() + settings.read_cache_ttl_s)
        self._store(key, entry, settings.read_cache_max_bytes)
        await self._answer(scope, send, entry, b"miss")

    def _store(self, key: Key, entry: Entry, budget: int) -> None:
        """Keep ``entry``; drop the least recently used ones past the byte budget."""
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= len(old.body)
        self.entries[key] = entry
        self.size += len(entry.body)
        while self.size > budget and self.entries:
            _, dropped = self.entries.popitem(last=False)
            self.size -= len(dropped.body)
