"""Point times: ISO 8601 text or epoch numbers to timezone-aware UTC datetimes."""

from __future__ import annotations

import math
from datetime import UTC, datetime

# Epoch numbers above this are taken as milliseconds: 1e11 s is the year 5138, while
# 1e11 ms is 1973, so no plausible track time is ambiguous.
_EPOCH_MS_THRESHOLD = 1e11


def as_utc(value: datetime) -> datetime:
    """Return ``value`` in UTC; a naive time is taken as UTC already.

    Why naive means UTC: GPX (1.0 and 1.1) and KML define their times as UTC, FIT stores
    seconds since 1989-12-31 UTC, and the devices that drop the ``Z`` still write UTC. Taking
    a naive time as Beijing time instead would shift a patrol by eight hours.
    """
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def parse_time(text: str) -> datetime:
    """Parse an ISO 8601 time (``2014-04-12T14:26:16.702Z``, ``+08:00`` offsets, naive) to UTC.

    Raises ValueError for text that is not an ISO 8601 date-time.
    """
    try:
        return as_utc(datetime.fromisoformat(text.strip().upper()))
    except OverflowError as exc:  # e.g. 0001-01-01T00:00+08:00 has no UTC equivalent
        raise ValueError(f"time {text!r:.40} out of range") from exc


def parse_epoch(value: float) -> datetime:
    """Unix epoch seconds, or milliseconds when the number is that large, to UTC.

    Raises ValueError for NaN, infinities and out-of-range values.
    """
    if not math.isfinite(value):
        raise ValueError("time is not a finite number")
    seconds = value / 1000.0 if abs(value) > _EPOCH_MS_THRESHOLD else value
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError) as exc:
        raise ValueError(f"epoch time {value} out of range") from exc
