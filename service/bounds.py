"""Plausible dates and times: the one place their bounds live.

Every date or time the service accepts (JSON and form fields, ``from``/``to``/``on`` and
``datetime`` parameters, track times, EXIF) is checked against these bounds *before* it is
converted or written. Far dates (``0001-01-01``, ``9999-12-31``, either with a ±14:00 offset)
would otherwise overflow Python's datetime range on the way to UTC or to Asia/Shanghai (a
500), or be stored as timestamps the database driver cannot read back (a poison row).

- ``EARLIEST_DAY`` .. ``LATEST_DAY`` (2000-01-01 .. 2100-12-31): any day the service keeps
  or is asked about: periods, due dates, plans, years. The river chief system dates from
  2016; nothing it records happened before 2000.
- Observations (a problem seen, a patrol walked, a photo taken, a meeting held) run from
  ``EARLIEST_DAY`` to one day after today (Asia/Shanghai): a phone a day ahead is a wrong
  clock, not a report.

Naive times are Asia/Shanghai wall-clock times. They are bounded first and localised after:
``ZoneInfo("Asia/Shanghai")`` gives 1901 dates the local mean time offset (+08:05:43), so a
bound checked after localising could be off by minutes; from 2000 on the zone is +08:00.

The ``Annotated`` types below carry the checks into pydantic, so schemas and query parameters
share them (FastAPI answers 422 with ``code`` ``date_out_of_range`` and the field).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from service.errors import InvalidInput
from service.timeutil import LOCAL_TZ, today_local

EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2100, 12, 31)
EARLIEST_YEAR = EARLIEST_DAY.year
LATEST_YEAR = LATEST_DAY.year
#: How far ahead of today an observation may be dated (a phone's clock a few hours off).
OBSERVATION_LEAD = timedelta(days=1)
#: A wall-clock time this far outside the bounds is refused before any offset is applied:
#: offsets are at most ±14:00 (and 1901's +08:05:43), so no conversion can then overflow.
_WALL_MARGIN = timedelta(days=2)


def latest_observed_day() -> date:
    """The last day an observation may be dated: tomorrow in Asia/Shanghai."""
    return today_local() + OBSERVATION_LEAD


def _out_of_range(what: str, value: object, lo: object, hi: object) -> str:
    return f"{what} {value} is outside {lo} .. {hi}"


def day_problem(day: date, *, observed: bool = False) -> str | None:
    """Why ``day`` is out of bounds, or None when it is plausible."""
    hi = latest_observed_day() if observed else LATEST_DAY
    if EARLIEST_DAY <= day <= hi:
        return None
    if observed and day > hi:
        return f"date {day.isoformat()} is in the future (after {hi})"
    return _out_of_range("date", day.isoformat(), EARLIEST_DAY, hi)


def moment_problem(moment: datetime, *, observed: bool = True) -> str | None:
    """Why ``moment`` (aware, or naive = Asia/Shanghai) is out of bounds, or None.

    Safe for any datetime Python can hold: the wall-clock part is checked before an offset
    is applied, so ``0001-01-01T00:00+14:00`` is refused instead of overflowing.
    """
    wall = moment.replace(tzinfo=None)
    hi_day = latest_observed_day() if observed else LATEST_DAY
    lo_wall = datetime.combine(EARLIEST_DAY, time.min) - _WALL_MARGIN
    hi_wall = datetime.combine(hi_day, time.max) + _WALL_MARGIN
    text = moment.isoformat()
    future = f"time {text} is in the future (after {hi_day})"
    if not lo_wall <= wall <= hi_wall:
        late = wall > hi_wall and observed
        return future if late else _out_of_range("time", text, EARLIEST_DAY, hi_day)
    utc = to_utc(moment)
    lo = datetime.combine(EARLIEST_DAY, time.min, tzinfo=LOCAL_TZ)
    hi = datetime.combine(hi_day + timedelta(days=1), time.min, tzinfo=LOCAL_TZ)
    if utc >= hi and observed:
        return future
    if not lo <= utc < hi:
        return _out_of_range("time", text, EARLIEST_DAY, hi_day)
    return None


def to_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; a naive one is read as Asia/Shanghai. Bound it first."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_TZ)
    return moment.astimezone(UTC)


def check_day(day: date, field: str, *, observed: bool = False) -> date:
    """``day``, or InvalidInput (422, ``date_out_of_range``) naming ``field``."""
    problem = day_problem(day, observed=observed)
    if problem is not None:
        raise InvalidInput(f"{field}: {problem}", code="date_out_of_range", field=field)
    return day


def check_moment(moment: datetime, field: str, *, observed: bool = True) -> datetime:
    """``moment`` in UTC, or InvalidInput (422, ``date_out_of_range``) naming ``field``."""
    problem = moment_problem(moment, observed=observed)
    if problem is not None:
        raise InvalidInput(f"{field}: {problem}", code="date_out_of_range", field=field)
    return to_utc(moment)


def plausible_moment(moment: datetime) -> datetime | None:
    """``moment`` in UTC when it is a plausible observation time, else None (for EXIF and
    other evidence where an implausible time is dropped rather than refused)."""
    return None if moment_problem(moment) is not None else to_utc(moment)


# ---- pydantic types ----------------------------------------------------------------------


def _day(value: date) -> date:
    problem = day_problem(value)
    if problem is not None:
        raise PydanticCustomError("date_out_of_range", problem)
    return value


def _observed_day(value: date) -> date:
    problem = day_problem(value, observed=True)
    if problem is not None:
        raise PydanticCustomError("date_out_of_range", problem)
    return value


def _observed_moment(value: datetime) -> datetime:
    problem = moment_problem(value)
    if problem is not None:
        raise PydanticCustomError("date_out_of_range", problem)
    return to_utc(value)


def _moment(value: datetime) -> datetime:
    problem = moment_problem(value, observed=False)
    if problem is not None:
        raise PydanticCustomError("date_out_of_range", problem)
    return to_utc(value)


# No ``Field(...)`` in these: nested ``Annotated`` is flattened, and a second FieldInfo next
# to a route's ``Query(...)`` would be ambiguous. Routes and schemas describe the field.
#: Any day the service keeps or is asked about (periods, due dates): 2000-01-01 .. 2100-12-31.
PlausibleDate = Annotated[date, AfterValidator(_day)]
#: A day something was observed or done: 2000-01-01 .. tomorrow.
ObservedDate = Annotated[date, AfterValidator(_observed_day)]
#: When something was observed (naive = Asia/Shanghai), returned in UTC: 2000 .. tomorrow.
ObservedDatetime = Annotated[datetime, AfterValidator(_observed_moment)]
#: A moment in the planning range (naive = Asia/Shanghai), returned in UTC.
PlausibleDatetime = Annotated[datetime, AfterValidator(_moment)]
#: A calendar year the service keeps or reports on (bodies; query parameters use
#: ``Query(ge=EARLIEST_YEAR, le=LATEST_YEAR)``).
PlausibleYear = Annotated[int, Field(ge=EARLIEST_YEAR, le=LATEST_YEAR)]
