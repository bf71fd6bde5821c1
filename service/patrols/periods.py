"""Periods of a year that patrol duties count in: half-years, quarters, months, 旬, weeks.

Days are Asia/Shanghai calendar days. A 旬 is the 1st-10th, 11th-20th or 21st-last of a
month. Weeks are ISO weeks (Monday-Sunday) of the ISO year, so a week is never split: the
week holding 1 January belongs to the year holding its Thursday.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def periods_of(kind: str, year: int) -> list[Period]:
    """The periods of ``kind`` in ``year``, in order."""
    if kind == "half":
        return [
            Period(f"{year}H1", date(year, 1, 1), date(year, 6, 30)),
            Period(f"{year}H2", date(year, 7, 1), date(year, 12, 31)),
        ]
    if kind == "quarter":
        return [
            Period(f"{year}Q{q}", date(year, 3 * q - 2, 1), _month_end(year, 3 * q))
            for q in range(1, 5)
        ]
    if kind == "month":
        return [
            Period(f"{year}-{m:02d}", date(year, m, 1), _month_end(year, m)) for m in range(1, 13)
        ]
    if kind == "xun":
        out = []
        for m in range(1, 13):
            out += [
                Period(f"{year}-{m:02d}上旬", date(year, m, 1), date(year, m, 10)),
                Period(f"{year}-{m:02d}中旬", date(year, m, 11), date(year, m, 20)),
                Period(f"{year}-{m:02d}下旬", date(year, m, 21), _month_end(year, m)),
            ]
        return out
    if kind == "week":
        monday = date.fromisocalendar(year, 1, 1)
        weeks = date(year, 12, 28).isocalendar().week  # 28 Dec is always in the last week
        return [
            Period(
                f"{year}-W{w:02d}",
                monday + timedelta(weeks=w - 1),
                monday + timedelta(weeks=w - 1, days=6),
            )
            for w in range(1, weeks + 1)
        ]
    raise ValueError(f"unknown period {kind!r}")


PERIOD_ZH = {"half": "半年", "quarter": "季度", "month": "月", "xun": "旬", "week": "周"}
