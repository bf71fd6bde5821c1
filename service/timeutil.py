"""Time conventions: stored in UTC, shown and counted in Asia/Shanghai.

"A day", "a year", "a half-year" are calendar ones in Asia/Shanghai; ``from``/``to`` query
parameters are inclusive local days.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")


def now_utc() -> datetime:
    return datetime.now(UTC)


def today_local() -> date:
    """Today's date in Asia/Shanghai."""
    return datetime.now(LOCAL_TZ).date()


def local_day_start_utc(day: date) -> datetime:
    """00:00 Asia/Shanghai of ``day``, as an aware UTC datetime."""
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ).astimezone(UTC)


def day_range_utc(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) in UTC for the inclusive local days ``start``..``end``."""
    return local_day_start_utc(start), local_day_start_utc(end + timedelta(days=1))


def local_date(moment: datetime) -> date:
    """The Asia/Shanghai calendar day of an aware datetime."""
    return moment.astimezone(LOCAL_TZ).date()


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def half_year_bounds(year: int, half: int) -> tuple[date, date]:
    """Half 1: 1 Jan - 30 Jun; half 2: 1 Jul - 31 Dec (Asia/Shanghai days)."""
    if half == 1:
        return date(year, 1, 1), date(year, 6, 30)
    return date(year, 7, 1), date(year, 12, 31)
