"""Refuse JSON bodies that parse in Python but are not data the service can keep: 422.

Python's ``json.loads`` (which FastAPI uses) accepts ``NaN``, ``Infinity`` and ``-Infinity``,
turns ``1e999`` into ``inf``, and decodes ``"\\ud800"`` into a string with a lone surrogate.
None of them survives the way out: PostgreSQL refuses NaN in JSON, psycopg cannot encode a
lone surrogate, and an error body echoing them cannot be serialised (before issue 14 every
JSON endpoint answered 500). Nesting deep enough to overflow the parser's recursion is refused
too. One check here covers every JSON endpoint, including fields typed ``Any``.

The body is read once (``BodyLimitMiddleware``, outside this one, caps it), checked, and
replayed to the app unchanged.
"""

from __future__ import annotations

import json
import math
from email.message import Message as EmailMessage
from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.security.asgi import send_error


class _Refused(ValueError):
    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


def _constant(name: str) -> Any:
    raise _Refused("not_finite", f"the JSON body holds {name}: numbers must be finite")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(
            "not_finite", f"the JSON body holds {text[:40]}, which is not a finite number"
        )
    return value


def body_problem(body: bytes) -> tuple[str, str] | None:
    """(code, sentence) when ``body`` is JSON the service refuses, None when it is fine
    (or not JSON at all: then FastAPI's own parser reports it)."""
    if not body.strip():
        return None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "invalid_json", "the JSON body is not UTF-8 text"
    try:
        value = json.loads(text, parse_constant=_constant, parse_float=_float)
    except _Refused as refused:
        return refused.code, refused.detail
    except RecursionError:
        return "too_deep", "the JSON body is nested too deeply"
    except json.JSONDecodeError as exc:
        return "invalid_json", f"the body is not valid JSON: {exc.msg} at position {exc.pos}"
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        return "invalid_json", f"the body is not usable JSON: {str(exc)[:100]}"
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return "invalid_unicode", "the JSON body holds a lone surrogate (\\ud800-\\udfff): not text"
    except RecursionError:
        return "too_deep", "the JSON body is nested too deeply"
    return None


def is_json(headers: Headers) -> bool:
    """Whether FastAPI would parse this body as JSON (no content type counts, as there)."""
    value = headers.get("content-type")
    if not value:
        return True
    message = EmailMessage()
    message["content-type"] = value
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


class StrictJsonMiddleware:
    """Checks JSON request bodies before the app sees them (see the module docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        if not is_json(Headers(scope=scope)):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away before sending the whole body
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        problem = body_problem(body)
        if problem is not None:
            await send_error(send, 422, problem[1], problem[0], "body")
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
