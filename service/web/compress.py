"""Compressed responses for the map: geometry and the app's own files.

``main.py`` adds no compression middleware, and adding one there would change every
domain's responses; the map's heavy payloads (boundaries, Leaflet) are compressed here
instead, so first render stays small on a slow phone connection.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from typing import Any

from fastapi import Request, Response

#: Below this size gzip costs more than it saves (headers, CPU).
MIN_GZIP_BYTES = 1024


def accepts_gzip(request: Request) -> bool:
    return "gzip" in request.headers.get("accept-encoding", "").lower()


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def not_modified(request: Request, etag: str) -> bool:
    wanted = request.headers.get("if-none-match", "")
    return etag in [tag.strip() for tag in wanted.split(",")] if wanted else False


def compressed(
    request: Request,
    body: bytes,
    media_type: str,
    *,
    cache_control: str = "no-cache",
    gz: bytes | None = None,
) -> Response:
    """``body`` gzipped when the client accepts it, with an ETag and 304 on a match.

    ``gz`` lets callers pass bytes compressed once and cached.
    """
    etag = etag_of(body)
    headers = {"ETag": etag, "Cache-Control": cache_control, "Vary": "Accept-Encoding"}
    if not_modified(request, etag):
        # The type rides along on the 304: the browser replaces the cached response's headers
        # with these, and the security middleware picks the CSP by content type (an HTML page
        # revalidated with the JSON policy would load nothing).
        return Response(status_code=304, headers={**headers, "Content-Type": media_type})
    if len(body) >= MIN_GZIP_BYTES and accepts_gzip(request):
        headers["Content-Encoding"] = "gzip"
        payload = gz if gz is not None else gzip.compress(body, compresslevel=6)
        return Response(payload, media_type=media_type, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


def json_response(request: Request, data: Any, media_type: str = "application/json") -> Response:
    """Compact JSON (no spaces; UTF-8 Chinese kept as is), compressed and with an ETag."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return compressed(request, body, media_type)
