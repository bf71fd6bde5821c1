"""Helpers of the hostile-input tests: the corpus, row and file snapshots, a counting ASGI client.

``post_streamed`` drives the real ASGI app with a body produced chunk by chunk and counts
the bytes the server actually pulled from ``receive``: that is how the tests prove a 60 MB
upload is refused without being read, rather than timing it.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from service.settings import get_settings

CORPUS = Path(__file__).resolve().parent / "corpus"
sys.path.insert(0, str(CORPUS))
import generate  # type: ignore[import-not-found]  # noqa: E402

BOUNDARY = "riverchief-hostile-boundary"
CHUNK = 1 << 20


def corpus_files() -> dict[str, tuple[Path, str, tuple[int, ...]]]:
    """name -> (path, target "track"|"photo", accepted statuses) of the committed files."""
    out: dict[str, tuple[Path, str, tuple[int, ...]]] = {}
    for name, codes in generate.TRACK_CODES.items():
        out[name] = (CORPUS / name, "track", codes)
    for name, codes in generate.PHOTO_CODES.items():
        out[name] = (CORPUS / name, "photo", codes)
    return out


def large_files(directory: Path) -> dict[str, tuple[Path, str, tuple[int, ...]]]:
    built = generate.build_large(directory)
    return {
        name: (path, "photo" if name.startswith("photo_") else "track", generate.LARGE_CODES[name])
        for name, path in built.items()
    }


def row_counts(session: Session) -> dict[str, int]:
    """Rows of every table of schema public, in one round trip (sees uncommitted rows)."""
    names = session.scalars(
        text(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
            "AND table_type = 'BASE TABLE' AND table_name <> 'spatial_ref_sys' ORDER BY 1"
        )
    ).all()
    select_list = ", ".join(f'(SELECT count(*) FROM public."{n}") AS "{n}"' for n in names)
    row = session.execute(text(f"SELECT {select_list}")).mappings().one()
    return {str(k): int(v) for k, v in row.items()}


def media_files() -> set[str]:
    root = get_settings().media_dir
    if not root.exists():
        return set()
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def multipart_head(fields: dict[str, str], filename: str, content_type: str) -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        for k, v in fields.items()
    ]
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
    )
    return "".join(parts).encode()


def multipart_tail() -> bytes:
    return f"\r\n--{BOUNDARY}--\r\n".encode()


def gpx_stream(total: int) -> Iterator[bytes]:
    """A syntactically plausible GPX of ``total`` bytes, one reused 1 MiB block at a time."""
    point = b'<trkpt lat="29.55" lon="103.76"><time>2025-06-01T08:00:00Z</time></trkpt>\n'
    block = (point * (CHUNK // len(point) + 1))[:CHUNK]
    yield b'<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
    sent = 0
    while sent < total:
        piece = block[: total - sent]
        sent += len(piece)
        yield piece


class Streamed:
    """Result of ``post_streamed``: status, JSON body and how many body bytes were pulled."""

    def __init__(self, status: int, body: dict[str, Any], pulled: int, offered: int) -> None:
        self.status, self.body, self.pulled, self.offered = status, body, pulled, offered


def post_streamed(
    app: Any,
    path: str,
    chunks: Iterator[bytes],
    headers: dict[str, str],
) -> Streamed:
    """POST a body generated chunk by chunk straight into the ASGI app."""
    import json

    pulled = 0
    offered = 0
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal pulled, offered
        chunk = next(chunks, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        offered += len(chunk)
        pulled += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "client": ("127.0.0.1", 40000),
        "server": ("testserver", 80),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "state": {},
    }
    asyncio.run(app(scope, receive, send))
    start = next(m for m in messages if m["type"] == "http.response.start")
    raw = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    try:
        body = json.loads(raw) if raw else {}
    except ValueError:
        body = {"raw": raw[:200].decode(errors="replace")}
    return Streamed(int(start["status"]), body, pulled, offered)
