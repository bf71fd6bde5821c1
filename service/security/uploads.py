"""Upload size limits enforced while streaming, never after reading everything.

Two layers, both needed:

1. ``BodyLimitMiddleware`` caps the whole request body per route *before* the multipart
   parser spools it to disk: a ``Content-Length`` over the cap is refused with 413 before a
   byte of the body is read; a chunked or lying body is cut off with 413 as soon as the
   running count passes the cap, and the rest is never read. The caps are declared by the
   domains (``body_limits`` in ``service.domains``: method, path pattern -> bytes from
   settings); other requests get ``settings.request_max_bytes``. A new upload endpoint
   declares its limit there.
2. ``read_upload`` reads one ``UploadFile`` part in chunks with its exact limit (the track
   or photo limit) and raises ``PayloadTooLarge`` as soon as it is passed. Use it instead of
   ``await file.read()``::

       from service.security.uploads import read_upload
       data = await read_upload(file, settings.track_max_bytes, what="track")
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Sequence

from fastapi import UploadFile
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.errors import BadRequest, PayloadTooLarge
from service.security.asgi import send_error
from service.settings import Settings, get_settings

CHUNK = 64 * 1024

#: (method, path pattern, cap in bytes from settings): routes that take files. The domains
#: declare them (``service.domains``: ``body_limits``); the composition compiles the patterns.
LimitRule = tuple[str, re.Pattern[str], Callable[[Settings], int]]


def body_limit(method: str, path: str, settings: Settings, rules: Sequence[LimitRule]) -> int:
    """The byte cap of a request body for this route: the first matching rule's, else the
    general ``request_max_bytes``."""
    for rule_method, pattern, cap in rules:
        if method == rule_method and pattern.match(path):
            return cap(settings)
    return settings.request_max_bytes


def too_large_message(limit: int, what: str = "request body") -> str:
    return f"{what} is larger than the {limit:,}-byte limit ({limit / 1048576:.1f} MiB)"


async def read_upload(file: UploadFile, limit: int, *, what: str = "file") -> bytes:
    """The bytes of an uploaded part, refusing it as soon as it passes ``limit`` bytes.

    Reads at most ``limit + CHUNK`` bytes whatever the part's size; raises PayloadTooLarge
    (413) with the limit in the body.
    """
    if file.size is not None and file.size > limit:
        raise PayloadTooLarge(too_large_message(limit, what), code="too_large", limit=limit)
    buffer = bytearray()
    while chunk := await file.read(CHUNK):
        buffer += chunk
        if len(buffer) > limit:
            raise PayloadTooLarge(too_large_message(limit, what), code="too_large", limit=limit)
    return bytes(buffer)


class _Exceeded(Exception):
    """Raised into the app from ``receive`` once the cap is passed."""


class BodyLimitMiddleware:
    """Cap request bodies per route while they stream in (see the module docstring)."""

    def __init__(self, app: ASGIApp, rules: Sequence[LimitRule]) -> None:
        self.app = app
        self.rules = tuple(rules)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope["method"], scope["path"], get_settings(), self.rules)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _send_413(send, limit)  # nothing of the body has been read
            return
        received = 0
        exceeded = False
        started = False

        async def limited_receive() -> Message:
            nonlocal received, exceeded
            if exceeded:
                raise _Exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise _Exceeded
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded:
                # Whatever the app answers to a cut-off body (FastAPI turns it into a 400
                # "error parsing the body"), the caller must see the 413.
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception as exc:
            if not exceeded or started or not _is_ours(exc):
                raise
        if exceeded and not started:
            await _send_413(send, limit)


def _is_ours(exc: BaseException) -> bool:
    if isinstance(exc, _Exceeded):
        return True
    if isinstance(exc, BaseExceptionGroup):
        return all(_is_ours(inner) for inner in exc.exceptions)
    cause = exc.__cause__ or exc.__context__
    return cause is not None and _is_ours(cause)


def _content_length(scope: Scope) -> int | None:
    value = Headers(scope=scope).get("content-length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


async def _send_413(send: Send, limit: int) -> None:
    await send_error(
        send,
        413,
        too_large_message(limit),
        "too_large",
        headers=[(b"connection", b"close")],
        limit=limit,
    )


#: Bounds on an uploaded zip container (XLSX workbooks): parts and inflated bytes.
MAX_ZIP_ENTRIES = 200
MAX_UNZIPPED_BYTES = 20 * 1024 * 1024


def check_zip_expansion(content: bytes, *, what: str = "file") -> None:
    """Refuse zip bombs before anything inflates (sizes from the central directory): more
    than ``MAX_ZIP_ENTRIES`` parts or ``MAX_UNZIPPED_BYTES`` inflated is 413."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile as exc:
        raise BadRequest(f"broken {what} container: {exc}") from exc
    if len(infos) > MAX_ZIP_ENTRIES:
        raise PayloadTooLarge(f"{what} has {len(infos)} parts; at most {MAX_ZIP_ENTRIES}")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED_BYTES:
        raise PayloadTooLarge(f"{what} inflates to {total} bytes; at most {MAX_UNZIPPED_BYTES}")
