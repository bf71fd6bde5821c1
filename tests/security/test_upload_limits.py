"""Size limits enforced while the body streams in: a 60 MB upload is refused with 413 after
reading at most the limit (or nothing at all when Content-Length already says too much),
with bounded memory, nothing stored, and the server healthy afterwards."""

from __future__ import annotations

import io
import tracemalloc
from collections.abc import Iterator

import pytest
from fastapi import UploadFile
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from service.domains import FORM_OVERHEAD, compose
from service.errors import PayloadTooLarge
from service.security.uploads import body_limit, read_upload
from service.settings import get_settings
from tests.security.hostile import (
    BOUNDARY,
    gpx_stream,
    media_files,
    multipart_head,
    multipart_tail,
    post_streamed,
    row_counts,
)
from tests.support import Headers

MB = 1 << 20
SIXTY_MB = 60 * MB


def _body(total: int) -> Iterator[bytes]:
    yield multipart_head({"date": "2025-06-01"}, "big.gpx", "application/gpx+xml")
    yield from gpx_stream(total)
    yield multipart_tail()


def _headers(auth: dict[str, str], length: int | None) -> dict[str, str]:
    headers = {**auth, "content-type": f"multipart/form-data; boundary={BOUNDARY}"}
    if length is not None:
        headers["content-length"] = str(length)
    return headers


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_sixty_megabytes_refused_while_streaming(
    app: object, client: TestClient, db: Session, auth_headers: Headers, declared: bool
) -> None:
    limit = get_settings().track_max_bytes
    rows, media = row_counts(db), media_files()
    length = SIXTY_MB + 1024 if declared else None
    tracemalloc.start()
    result = post_streamed(
        app, "/api/v1/patrols", _body(SIXTY_MB), _headers(auth_headers("chief"), length)
    )
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result.status == 413, result.body
    assert "limit" in str(result.body.get("detail", "")) or "larger" in str(result.body)
    if declared:
        assert result.pulled == 0  # refused on the header, before reading the body
    else:
        assert result.pulled <= limit + FORM_OVERHEAD + MB  # stopped within a chunk
    assert result.pulled < SIXTY_MB / 2
    assert peak < limit + 16 * MB, f"peak {peak / MB:.0f} MiB"  # never the 60 MB
    assert row_counts(db) == rows and media_files() == media
    assert client.get("/healthz").status_code == 200


def test_just_over_the_limit_is_413_and_under_is_parsed(
    app: object, auth_headers: Headers, db: Session
) -> None:
    limit = get_settings().track_max_bytes
    over = post_streamed(
        app, "/api/v1/patrols", _body(limit + 10), _headers(auth_headers("chief"), None)
    )
    assert over.status == 413
    # A small body reaches the parser: garbage GPX is then a 400, not a 413.
    small = post_streamed(
        app, "/api/v1/patrols", _body(4096), _headers(auth_headers("chief"), None)
    )
    assert small.status == 400, small.body


def test_other_endpoints_have_a_default_cap(app: object, auth_headers: Headers) -> None:
    cap = body_limit("POST", "/api/v1/problems", get_settings(), compose().body_limits)
    assert cap == get_settings().request_max_bytes

    def json_body() -> Iterator[bytes]:
        yield b'{"description": "'
        for _ in range(8):
            yield b"x" * MB
        yield b'"}'

    headers = {**auth_headers("office"), "content-type": "application/json"}
    result = post_streamed(app, "/api/v1/problems", json_body(), headers)
    assert result.status == 413
    assert result.pulled <= cap + MB


def test_photo_limit_over_http(client: TestClient, db: Session, auth_headers: Headers) -> None:
    limit = get_settings().photo_max_bytes
    created = client.post(
        "/api/v1/problems",
        json={
            "lon": 103.6262,
            "lat": 29.3396,
            "datum": "wgs84",
            "category": "garbage",
            "description": "x",
            "observed_at": "2026-03-02T10:30:00+08:00",
        },
        headers=auth_headers("office"),
    )
    problem = created.json()["id"]
    rows, media = row_counts(db), media_files()
    big = b"\xff\xd8\xff\xe0" + b"\0" * (limit + 10)
    response = client.post(
        f"/api/v1/problems/{problem}/photos",
        files={"file": ("big.jpg", big, "image/jpeg")},
        headers=auth_headers("office"),
    )
    assert response.status_code == 413
    assert row_counts(db) == rows and media_files() == media


async def _read(data: bytes, limit: int, size: int | None) -> bytes:
    upload = UploadFile(io.BytesIO(data), size=size, filename="x")
    return await read_upload(upload, limit, what="photo")


def test_read_upload_helper() -> None:
    import asyncio

    assert asyncio.run(_read(b"abc", 3, None)) == b"abc"
    with pytest.raises(PayloadTooLarge) as exc:
        asyncio.run(_read(b"x" * 200_000, 100_000, None))  # counted while reading
    assert exc.value.detail["limit"] == 100_000
    with pytest.raises(PayloadTooLarge):
        asyncio.run(_read(b"x" * 10, 5, 10))  # refused on the declared size
