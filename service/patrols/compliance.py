"""Patrol-duty compliance for a year, for chiefs at every level (rules: ``duty_rules``).

- 市总河长 (general chief): at least 1 patrol a year (seed §4);
- 市级河长 (municipal river chief): at least 3 a year and 1 in each half-year (seed §6);
- county, township and village chiefs: the period rules of ``service.patrols.duty_rules``
  (by default quarterly, monthly and weekly, at least 30 minutes, and 2 km below the county).
Only valid, not voided patrols count, and for a level only those lasting its minimum time
along its minimum length. An official owes the period rule for each period they held the post
for more than half of, and a yearly total prorated to the days held, rounded up. Half-years
split at 1 July, Asia/Shanghai. An official who is a chief at two levels answers to the
stricter rule. Deputy general chiefs have no patrol duty in the seed and are not listed.
A chief's coverage is the coverage of their own reaches in the year (``service.reaches``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from service.officials.models import Assignment, Official
from service.patrols.duty_rules import STRICTNESS, DutyRule, rules
from service.patrols.models import Patrol
from service.patrols.periods import Period, periods_of
from service.patrols.schemas import ComplianceRow, DutyPeriod
from service.reaches.coverage import Range, range_coverage
from service.reaches.models import Reach
from service.timeutil import today_local, year_bounds

#: More periods than this are summarised in ``missing`` (weeks, 旬, months).
LISTED_PERIODS = 4


@dataclass
class Held:
    """Days an official held a duty-bearing post within one year."""

    spans: list[tuple[date, date]]

    def days_in(self, start: date, end: date) -> int:
        """Days held within [start, end] (inclusive), spans merged first."""
        total = 0
        for a, b in _merge(self.spans):
            lo, hi = max(a, start), min(b, end)
            if hi >= lo:
                total += (hi - lo).days + 1
        return total

    def last_day_in(self, start: date, end: date) -> date | None:
        ends = [min(b, end) for a, b in self.spans if min(b, end) >= max(a, start)]
        return max(ends) if ends else None


@dataclass
class Duty:
    """What an official answered for in a year: ``role``, the rule ``key`` (the stricter
    level), the days held and the reaches held at that level."""

    role: str
    key: str
    held: Held
    reach_ids: set[int] = field(default_factory=set)


def _merge(spans: list[tuple[date, date]]) -> list[tuple[date, date]]:
    out: list[tuple[date, date]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1] + timedelta(days=1):
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _plural(n: int) -> str:
    return f"{n} more patrol" if n == 1 else f"{n} more patrols"


def _need_text(n: int, by: date, today: date) -> str:
    return f"{_plural(n)} by {by.isoformat()}" + (" (overdue)" if by < today else "")


def duties(session: Session, year: int) -> dict[int, Duty]:
    """Officials with a patrol duty in ``year`` (general chiefs, river chiefs of any level)."""
    start, end = year_bounds(year)
    rows = session.execute(
        select(
            Assignment.official_id,
            Assignment.role,
            Assignment.level,
            Assignment.reach_id,
            Assignment.valid_from,
            Assignment.valid_to,
        ).where(
            Assignment.official_id.is_not(None),
            or_(
                Assignment.role == "general_chief",
                and_(Assignment.role == "river_chief", Assignment.level.is_not(None)),
            ),
            Assignment.valid_from <= end,
            or_(Assignment.valid_to.is_(None), Assignment.valid_to >= start),
        )
    ).all()
    by_key: dict[int, dict[str, Duty]] = defaultdict(dict)
    for official_id, role, level, reach_id, valid_from, valid_to in rows:
        assert official_id is not None
        key = "general_chief" if role == "general_chief" else str(level)
        span = (max(valid_from, start), min(valid_to or end, end))
        duty = by_key[official_id].setdefault(key, Duty(role, key, Held([])))
        duty.held.spans.append(span)
        if reach_id is not None:
            duty.reach_ids.add(reach_id)
    # Several posts: the stricter rule applies (a chief at two levels patrols as the lower).
    return {
        official_id: next(keys[k] for k in STRICTNESS if k in keys)
        for official_id, keys in by_key.items()
    }


def _counted(session: Session, found: dict[int, Duty], lo: date, hi: date) -> dict[int, list[Any]]:
    """Valid, not voided patrols of the officials dated in [lo, hi]: (date, min, metres)."""
    out: dict[int, list[Any]] = defaultdict(list)
    for r in session.execute(
        select(
            Patrol.id, Patrol.chief_id, Patrol.patrol_date, Patrol.duration_min, Patrol.length_m
        ).where(
            Patrol.chief_id.in_(list(found)),
            Patrol.valid,
            Patrol.voided_at.is_(None),
            Patrol.patrol_date.between(lo, hi),
        )
    ):
        out[r.chief_id].append(r)
    return out


def _coverage(session: Session, found: dict[int, Duty], year: int, today: date) -> dict[int, float]:
    """Each chief's coverage of their own reaches this year (to today), 0..1."""
    start, end = year_bounds(year)
    end = min(end, max(today, start))
    ids = {r for d in found.values() for r in d.reach_ids}
    if not ids:
        return {}
    reaches = session.scalars(select(Reach).where(Reach.id.in_(ids))).all()
    cov = range_coverage(
        session, [Range(r.id, r.river_id, r.from_m, r.to_m) for r in reaches], start, end
    )
    out = {}
    for official_id, duty in found.items():
        parts = [cov[r] for r in duty.reach_ids if r in cov]
        length = sum(p.length_m for p in parts)
        if length > 0:
            out[official_id] = round(sum(p.covered_m for p in parts) / length, 4)
    return out


def _missing_many(
    rule: DutyRule, periods: list[Period], needs: list[int], held: Held, today: date
) -> list[str]:
    """Weeks, 旬 or months: the missed ones in one line, the current one, the rest to come."""
    lines = []
    missed = [p for p, n in zip(periods, needs, strict=True) if n and p.end < today]
    if missed:
        shown = ", ".join(p.label for p in missed[:6]) + (", …" if len(missed) > 6 else "")
        lines.append(
            f"{len(missed)} of {len(periods)} {rule.period} periods missed: {shown} (overdue)"
        )
    for p, n in zip(periods, needs, strict=True):
        if n and p.start <= today <= p.end:
            lines.append(_need_text(n, held.last_day_in(p.start, p.end) or p.end, today))
    ahead = [(p, n) for p, n in zip(periods, needs, strict=True) if n and p.start > today]
    if ahead:
        lines.append(
            f"{_plural(sum(n for _, n in ahead))} in the {len(ahead)} {rule.period} periods "
            f"to come, by {ahead[-1][0].end.isoformat()}"
        )
    return lines


def _row(
    official_id: int, duty: Duty, rule: DutyRule, patrols: list[Any], year: int, today: date
) -> ComplianceRow:
    year_start, year_end = year_bounds(year)
    held = duty.held
    held_days = held.days_in(year_start, year_end)
    year_days = (year_end - year_start).days + 1
    fit = [
        p
        for p in patrols
        if (p.duration_min or 0) >= rule.min_duration_min and p.length_m >= rule.min_length_km * 1e3
    ]
    counted = [p.patrol_date for p in fit]
    in_year = [d for d in counted if year_start <= d <= year_end]
    h1 = sum(1 for d in in_year if d.month <= 6)
    h2 = len(in_year) - h1
    periods = periods_of(rule.period, year) if rule.period else []
    owed = [rule.per_period if 2 * held.days_in(p.start, p.end) > p.days else 0 for p in periods]
    done = [sum(1 for d in counted if p.start <= d <= p.end) for p in periods]
    needs = [max(0, o - d) for o, d in zip(owed, done, strict=True)]
    required_total = max(math.ceil(Fraction(rule.per_year * held_days, year_days)), sum(owed))
    total = len(in_year)
    total_need = max(0, required_total - total)
    total_by = held.last_day_in(year_start, year_end) or year_end
    total_line = total_need > sum(needs)
    missing: list[str] = []
    if len(periods) <= LISTED_PERIODS:
        for p, need in zip(periods, needs, strict=True):
            by = held.last_day_in(p.start, p.end) or p.end
            if need and not (total_line and by == total_by):
                missing.append(_need_text(need, by, today))
    else:
        missing += _missing_many(rule, periods, needs, held, today)
    if total_line:
        missing.append(_need_text(total_need, total_by, today))
    halves = [0, 0]
    if rule.period == "half":
        halves = owed
    return ComplianceRow(
        official_id=official_id,
        name="",
        role=duty.role,
        level="city" if duty.key == "general_chief" else duty.key,
        rule=rule.describe(),
        rule_source=rule.source,
        period=rule.period,
        required_total=required_total,
        required_per_half=rule.per_period if rule.period == "half" else 0,
        required_per_period=rule.per_period,
        required_h1=halves[0],
        required_h2=halves[1],
        h1=h1,
        h2=h2,
        total=total,
        compliant=not missing,
        missing=missing,
        held_days=held_days,
        periods=[
            DutyPeriod.model_validate(
                {"label": p.label, "from": p.start, "to": p.end, "required": o, "done": d}
            )
            for p, o, d in zip(periods, owed, done, strict=True)
            if o
        ],
        reach_ids=sorted(duty.reach_ids),
        coverage=None,
        patrol_ids=sorted(p.id for p in fit if year_start <= p.patrol_date <= year_end),
    )


def compliance(session: Session, year: int, today: date | None = None) -> list[ComplianceRow]:
    """One row per official with a patrol duty in ``year`` (see the module docstring)."""
    today = today or today_local()
    found = duties(session, year)
    table = rules()
    year_start, year_end = year_bounds(year)
    patrols = _counted(session, found, year_start - timedelta(days=7), year_end + timedelta(days=7))
    names: dict[int, str] = {
        r.id: r.name
        for r in session.execute(
            select(Official.id, Official.name).where(Official.id.in_(list(found)))
        )
    }
    coverage = _coverage(session, found, year, today)
    rows = []
    for official_id, duty in found.items():
        row = _row(official_id, duty, table[duty.key], patrols.get(official_id, []), year, today)
        row.name = names.get(official_id, "")
        row.coverage = coverage.get(official_id)
        rows.append(row)
    order = {k: i for i, k in enumerate(reversed(STRICTNESS))}
    rows.sort(key=lambda r: (r.role != "general_chief", order.get(r.level, 9), r.official_id))
    return rows
