"""Means of readings over a month or a year, classified (the 评价办法's 时段评价).

The mean of each parameter over the period's readings is classified like one reading
(``standard.classify``), so a month's class and a year's class are those of the means, not
the worst of the readings. Values below the detection limit enter as half the limit (as
stored).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Date, cast, func, literal, select
from sqlalchemy.orm import Session

from service.water_quality.models import SectionReading
from service.water_quality.standard import PARAMETER_CODES, Classification, classify


@dataclass(frozen=True)
class PeriodMean:
    """A section's mean values over a period starting ``period`` (first day of the month or
    of the year), from ``readings`` readings, and their classification."""

    section_id: int
    period: date
    readings: int
    means: dict[str, float]
    classification: Classification

    def target_met(self, target_class: int) -> bool | None:
        return self.classification.meets(target_class)


def month_start(day: date) -> date:
    return day.replace(day=1)


def _means(
    session: Session,
    unit: str | None,
    start: date,
    end: date,
    section_ids: Sequence[int] | None,
) -> list[PeriodMean]:
    """Means per section and calendar ``unit`` ('month', 'year'), or over start..end whole
    (``unit`` None: ``period`` is ``start``)."""
    period = (
        cast(func.date_trunc(unit, SectionReading.sampled_on), Date)
        if unit
        else literal(start, Date)
    ).label("period")
    columns = [func.avg(getattr(SectionReading, c)).label(c) for c in PARAMETER_CODES]
    stmt = (
        select(SectionReading.section_id, period, func.count().label("n"), *columns)
        .where(SectionReading.sampled_on >= start, SectionReading.sampled_on <= end)
        .group_by(SectionReading.section_id, *([period] if unit else []))
        .order_by(SectionReading.section_id, *([period] if unit else []))
    )
    if section_ids is not None:
        stmt = stmt.where(SectionReading.section_id.in_(list(section_ids)))
    out = []
    for row in session.execute(stmt):
        means: dict[str, float] = {
            c: round(float(getattr(row, c)), 4)
            for c in PARAMETER_CODES
            if getattr(row, c) is not None
        }
        out.append(PeriodMean(row.section_id, row.period, int(row.n), means, classify(means)))
    return out


def monthly_means(
    session: Session, start: date, end: date, section_ids: Sequence[int] | None = None
) -> dict[tuple[int, date], PeriodMean]:
    """(section id, first day of month) -> the month's means, for readings in start..end."""
    return {(m.section_id, m.period): m for m in _means(session, "month", start, end, section_ids)}


def annual_means(
    session: Session, year: int, section_ids: Sequence[int] | None = None
) -> dict[int, PeriodMean]:
    """Section id -> the year's means (the section's class for the year)."""
    return period_means(session, date(year, 1, 1), date(year, 12, 31), section_ids)


def period_means(
    session: Session, start: date, end: date, section_ids: Sequence[int] | None = None
) -> dict[int, PeriodMean]:
    """Section id -> the means over days start..end (a year: the annual class)."""
    return {m.section_id: m for m in _means(session, None, start, end, section_ids)}
