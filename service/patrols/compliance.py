"""Patrol-duty compliance for a year, from the seed (§4, §6).

- 市总河长 (general chief): at least 1 patrol a year;
- 市级河长 (municipal river chief): at least 3 a year and at least 1 in each half-year.
Half-years split at 1 July, Asia/Shanghai. Only valid, not voided patrols count. An official
assigned for part of the year owes the half-year patrol for each half they held for more than
half of it, and a yearly total prorated to the days held, rounded up.
Deputy general chiefs have no patrol duty in the seed and are not listed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from openpyxl import Workbook
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from service import xlsxsafe
from service.officials.models import Assignment, Official
from service.patrols.models import Patrol
from service.patrols.schemas import ComplianceRow
from service.timeutil import half_year_bounds, today_local, year_bounds

#: role -> (patrols a year, patrols per half-year)
DUTIES = {"river_chief": (3, 1), "general_chief": (1, 0)}


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


def duties(session: Session, year: int) -> dict[int, tuple[str, Held]]:
    """Officials with a patrol duty in ``year``: id -> (role, days held)."""
    start, end = year_bounds(year)
    rows = session.execute(
        select(
            Assignment.official_id, Assignment.role, Assignment.valid_from, Assignment.valid_to
        ).where(
            Assignment.official_id.is_not(None),
            or_(
                Assignment.role == "general_chief",
                and_(Assignment.role == "river_chief", Assignment.level == "city"),
            ),
            Assignment.valid_from <= end,
            or_(Assignment.valid_to.is_(None), Assignment.valid_to >= start),
        )
    ).all()
    out: dict[int, tuple[str, Held]] = {}
    for official_id, role, valid_from, valid_to in rows:
        assert official_id is not None
        span = (max(valid_from, start), min(valid_to or end, end))
        current = out.get(official_id)
        if current is None:
            out[official_id] = (role, Held([span]))
        elif current[0] == role:
            current[1].spans.append(span)
        elif role == "river_chief":
            # Both posts: the stricter duty (a municipal chief's) applies.
            out[official_id] = (role, Held([span]))
    return out


def compliance(session: Session, year: int, today: date | None = None) -> list[ComplianceRow]:
    """One row per official with a patrol duty in ``year`` (see the module docstring)."""
    today = today or today_local()
    year_start, year_end = year_bounds(year)
    year_days = (year_end - year_start).days + 1
    halves = [half_year_bounds(year, 1), half_year_bounds(year, 2)]
    found = duties(session, year)
    counts = {
        (r.chief_id, r.half): int(r.n)
        for r in session.execute(
            select(
                Patrol.chief_id,
                func.extract("month", Patrol.patrol_date).between(7, 12).label("half"),
                func.count().label("n"),
            )
            .where(
                Patrol.chief_id.in_(list(found)),
                Patrol.valid,
                Patrol.voided_at.is_(None),
                Patrol.patrol_date.between(year_start, year_end),
            )
            .group_by(Patrol.chief_id, "half")
        )
    }
    names: dict[int, str] = {
        r.id: r.name
        for r in session.execute(
            select(Official.id, Official.name).where(Official.id.in_(list(found)))
        )
    }
    rows: list[ComplianceRow] = []
    for official_id, (role, held) in found.items():
        per_year, per_half = DUTIES[role]
        held_days = held.days_in(year_start, year_end)
        required_total = math.ceil(Fraction(per_year * held_days, year_days))
        required_halves = []
        for lo, hi in halves:
            half_days = (hi - lo).days + 1
            owes = per_half > 0 and 2 * held.days_in(lo, hi) > half_days
            required_halves.append(per_half if owes else 0)
        h1 = counts.get((official_id, False), 0)
        h2 = counts.get((official_id, True), 0)
        total = h1 + h2
        half_need = [max(0, req - got) for req, got in zip(required_halves, (h1, h2), strict=True)]
        total_need = max(0, required_total - total)
        total_by = held.last_day_in(year_start, year_end) or year_end
        missing: list[str] = []
        total_line = total_need > sum(half_need)
        for (lo, hi), need in zip(halves, half_need, strict=True):
            by = held.last_day_in(lo, hi) or hi
            if need and not (total_line and by == total_by):
                missing.append(_need_text(need, by, today))
        if total_line:
            missing.append(_need_text(total_need, total_by, today))
        rows.append(
            ComplianceRow(
                official_id=official_id,
                name=names.get(official_id, ""),
                role=role,
                required_total=required_total,
                required_per_half=per_half,
                required_h1=required_halves[0],
                required_h2=required_halves[1],
                h1=h1,
                h2=h2,
                total=total,
                compliant=not missing,
                missing=missing,
                held_days=held_days,
            )
        )
    rows.sort(key=lambda r: (r.role != "general_chief", r.official_id))
    return rows


XLSX_HEADERS = (
    ("official_id", "官员编号"),
    ("name", "姓名"),
    ("role", "角色"),
    ("required_total", "全年应巡（次）"),
    ("required_per_half", "每半年应巡（次）"),
    ("h1", "上半年（次）"),
    ("h2", "下半年（次）"),
    ("total", "全年合计（次）"),
    ("compliant", "是否达标"),
    ("missing", "尚缺"),
)
ROLE_ZH = {"general_chief": "市总河长", "river_chief": "市级河长"}


def compliance_xlsx(rows: list[ComplianceRow], year: int) -> bytes:
    """The same rows as an .xlsx workbook (zh-CN headers) for the office's report."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = f"{year}年巡河履职"
    ws.append([zh for _key, zh in XLSX_HEADERS])
    for row in rows:
        values: list[Any] = []
        for key, _zh in XLSX_HEADERS:
            value = getattr(row, key)
            if key == "role":
                value = ROLE_ZH.get(value, value)
            elif key == "compliant":
                value = "是" if value else "否"
            elif key == "missing":
                value = "; ".join(value)
            values.append(value)
        ws.append(values)
    for column, width in zip("ABCDEFGHIJ", (10, 10, 12, 14, 16, 12, 12, 14, 10, 50), strict=True):
        ws.column_dimensions[column].width = width
    return xlsxsafe.save(wb)
