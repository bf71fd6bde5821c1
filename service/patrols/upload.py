"""Read a multipart patrol upload with the size limit enforced while the body streams in.

FastAPI's ``UploadFile`` would spool the whole body before the route runs; here the body is
counted chunk by chunk and refused (413) as soon as it passes the limit, so a 2 GB upload
costs at most ``track_max_bytes`` plus one chunk.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass
from datetime import date

from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from service.bounds import check_day
from service.errors import BadRequest, InvalidInput, PayloadTooLarge, UnsupportedMedia
from service.settings import get_settings

#: Room for the form's other fields and multipart boundaries on top of the file limit.
FORM_OVERHEAD_BYTES = 64 * 1024
DATUMS = ("wgs84", "gcj02")


@dataclass(frozen=True)
class PatrolUploadForm:
    """The fields of ``POST /api/v1/patrols``, checked."""

    data: bytes
    filename: str | None
    content_type: str | None
    chief_id: int | None
    datum: str
    date: date | None
    client_id: str | None
    notes: str | None


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"track file larger than {limit // (1024 * 1024)} MB ({limit} bytes)", limit_bytes=limit
    )


async def _limited(request: Request, limit: int) -> AsyncGenerator[bytes, None]:
    total = 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > limit + FORM_OVERHEAD_BYTES:
            raise _too_large(limit)
        yield chunk


def _text(form: dict[str, str], name: str, max_len: int) -> str | None:
    value = form.get(name)
    if value is None or value.strip() == "":
        return None
    if len(value) > max_len:
        raise InvalidInput(f"{name} is longer than {max_len} characters", field=name)
    return value.strip()


async def read_patrol_upload(request: Request) -> PatrolUploadForm:
    """Parse and check the multipart form (a FastAPI dependency)."""
    limit = get_settings().track_max_bytes
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        raise UnsupportedMedia("send the track as multipart/form-data with a 'file' field")
    declared = request.headers.get("content-length")
    if (
        declared
        and declared.isascii()
        and declared.isdigit()
        and int(declared) > limit + FORM_OVERHEAD_BYTES
    ):
        raise _too_large(limit)
    parser = MultiPartParser(
        request.headers,
        _limited(request, limit),
        max_files=1,
        max_fields=16,
        max_part_size=FORM_OVERHEAD_BYTES,
    )
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise BadRequest(f"malformed multipart form: {exc.message}") from exc
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise InvalidInput("the form has no 'file' field holding the track file")
    try:
        data = await upload.read(limit + 1)
    finally:
        await form.close()
    if len(data) > limit:
        raise _too_large(limit)
    if not data:
        raise InvalidInput("the track file is empty")
    fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    return PatrolUploadForm(
        data=data,
        filename=upload.filename,
        content_type=upload.content_type,
        chief_id=_int(fields, "chief_id"),
        datum=_datum(fields),
        date=_date(fields),
        client_id=_text(fields, "client_id", 128),
        notes=_text(fields, "notes", 10_000),
    )


def _int(form: dict[str, str], name: str) -> int | None:
    value = _text(form, name, 20)
    if value is None:
        return None
    # isdigit() alone admits '²' and other digits int() refuses; ids are int4.
    if not (value.isascii() and value.isdigit()) or int(value) > 2**31 - 1:
        raise InvalidInput(
            f"{name} must be a positive integer, got {value!r}", code="not_an_integer", field=name
        )
    return int(value)


def _datum(form: dict[str, str]) -> str:
    value = (_text(form, "datum", 10) or "wgs84").lower()
    if value not in DATUMS:
        raise InvalidInput(
            f"datum must be one of {', '.join(DATUMS)}, got {value!r}",
            code="not_allowed_value",
            field="datum",
        )
    return value


def _date(form: dict[str, str]) -> date | None:
    value = _text(form, "date", 10)
    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(
            f"date must be YYYY-MM-DD, got {value!r}", code="invalid_date", field="date"
        ) from exc
    return check_day(day, "date", observed=True)
