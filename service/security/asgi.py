"""Answering from ASGI middleware, before or around the app: one JSON error response."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import Send

from service.errors import error_body


async def send_error(
    send: Send,
    status: int,
    detail: str,
    code: str,
    field: str | None = None,
    *,
    headers: list[tuple[bytes, bytes]] | None = None,
    **extra: Any,
) -> None:
    """Send a whole error answer (``service.errors.error_body``) through ``send``."""
    payload = json.dumps(error_body(detail, code, field, **extra)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
