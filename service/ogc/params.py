"""OGC API - Features query parameters: bbox, datetime, limit, offset (400 when invalid).

OGC API - Features Part 1 asks for 400 on invalid or unknown parameters (requirements
/req/core/query-param-invalid and -unknown), so these raise ``BadRequest``, not ``InvalidInput``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from service.bounds import day_problem, moment_problem
from service.errors import BadRequest
from service.timeutil import local_day_start_utc

#: Parameters the items endpoint understands (``f`` selects the format: only GeoJSON here).
ITEMS_PARAMS = frozenset({"bbox", "bbox-crs", "datetime", "limit", "offset", "f"})
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


@dataclass(frozen=True)
class TimeRange:
    """A half-open UTC interval [start, end); None on a side means unbounded."""

    start: datetime | None
    end: datetime | None


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """``minlon,minlat,maxlon,maxlat`` (or 6 numbers with heights, ignored), CRS84 degrees."""
    if value is None or value.strip() == "":
        return None
    try:
        numbers = [float(part) for part in value.split(",")]
    except ValueError as exc:
        raise BadRequest("bbox must be 4 numbers: minlon,minlat,maxlon,maxlat") from exc
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    if len(numbers) != 4:
        raise BadRequest("bbox must be 4 numbers: minlon,minlat,maxlon,maxlat")
    x1, y1, x2, y2 = numbers
    if not (-180 <= x1 <= x2 <= 180 and -90 <= y1 <= y2 <= 90):
        raise BadRequest(
            "bbox must be lon/lat degrees (CRS84) with min <= max; crossing the antimeridian "
            "is not supported"
        )
    return (x1, y1, x2, y2)


def _instant(text: str, *, end: bool) -> datetime | None:
    """One side of a datetime interval; a bare date is a whole Asia/Shanghai day."""
    text = text.strip()
    if text in ("", ".."):
        return None
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            _bounded(day_problem(day))
            return local_day_start_utc(day + timedelta(days=1) if end else day)
        moment = datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError as exc:
        raise BadRequest(
            f"datetime {text[:40]!r} is not RFC 3339 (e.g. 2026-05-01T08:00:00Z or 2026-05-01)",
            code="invalid_datetime",
            field="datetime",
        ) from exc
    if moment.tzinfo is None:
        raise BadRequest(
            f"datetime {text[:40]!r} needs a time zone (Z or +08:00)",
            code="invalid_datetime",
            field="datetime",
        )
    _bounded(moment_problem(moment, observed=False))  # before converting: no overflow
    return moment.astimezone(UTC)


def _bounded(problem: str | None) -> None:
    """400 (OGC's answer to an invalid parameter) for a date outside service.bounds."""
    if problem is not None:
        raise BadRequest(f"datetime: {problem}", code="date_out_of_range", field="datetime")


def parse_datetime(value: str | None) -> TimeRange | None:
    """An instant, a date, or an interval ``a/b`` with ``..`` (or empty) for an open end."""
    if value is None or value.strip() == "":
        return None
    if "/" in value:
        first, _, second = value.partition("/")
        start, end = _instant(first, end=False), _instant(second, end=True)
        if start is None and end is None:
            raise BadRequest("datetime interval '../..' has no bound")
        if start is not None and end is not None and start > end:
            raise BadRequest("datetime interval starts after it ends")
        return TimeRange(start, end)
    start = _instant(value, end=False)
    if start is None:
        raise BadRequest("datetime must be an instant, a date or an interval")
    if len(value.strip()) == 10:  # a whole day
        return TimeRange(start, _instant(value, end=True))
    # An instant matches exactly that moment: [t, t + 1 µs).
    return TimeRange(start, start + timedelta(microseconds=1))


def parse_limit(value: str | None, default: int, maximum: int) -> int:
    """Page size: larger than ``maximum`` is clamped (the standard forbids an error)."""
    if value is None:
        return default
    try:
        limit = int(value)
    except ValueError as exc:
        raise BadRequest("limit must be a whole number") from exc
    if limit < 1:
        raise BadRequest("limit must be at least 1")
    return min(limit, maximum)


def parse_offset(value: str | None) -> int:
    if value is None:
        return 0
    try:
        offset = int(value)
    except ValueError as exc:
        raise BadRequest("offset must be a whole number") from exc
    if offset < 0:
        raise BadRequest("offset must not be negative")
    return offset
