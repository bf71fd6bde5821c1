"""Patrols owed (我的待办, kind ``patrol_*``): from the compliance rules of each chief's level.

Nothing here restates a rule: what is owed comes from ``service.patrols.compliance``.
"""

from __future__ import annotations

from datetime import date
from typing import TypedDict

from sqlalchemy.orm import Session

from service.patrols.compliance import Duty, Held, compliance, duties
from service.patrols.periods import PERIOD_ZH
from service.patrols.schemas import ComplianceRow
from service.timeutil import half_year_bounds


class Item(TypedDict):
    """One thing to do (``schemas.TodoItem`` without ``reminded``)."""

    key: str
    kind: str
    title: str
    due_date: date
    link: str
    overdue: bool


HALF_NAMES = {1: "上半年", 2: "下半年"}


def item(key: str, kind: str, title: str, due: date, link: str, today: date) -> Item:
    """A to-do item: ``key`` identifies it for reminders; overdue when ``due`` has passed."""
    return Item(key=key, kind=kind, title=title, due_date=due, link=link, overdue=due < today)


#: This year's duties (official -> rule and days held) and compliance rows.
Compliance = tuple[dict[int, Duty], list[ComplianceRow]]


def compliance_of(session: Session, today: date) -> Compliance:
    """This year's duties and compliance rows, computed once for several officials."""
    return duties(session, today.year), compliance(session, today.year, today)


def patrols_owed(
    session: Session,
    official_id: int,
    today: date,
    *,
    organiser: str | None = None,
    known: Compliance | None = None,
) -> list[Item]:
    """Patrols the official still owes, from the compliance rules of their level: this
    half-year and this year (municipal and general chiefs), or this quarter, month, 旬 or
    week and the periods already missed (county, township, village chiefs); each due on
    the last day of the period the official holds the post in. ``organiser``: the view of
    whoever organises the chief's patrols (kind ``patrol_organise``, the chief named)."""
    held_by, rows = known or compliance_of(session, today)
    found = held_by.get(official_id)
    row = next((r for r in rows if r.official_id == official_id), None)
    if found is None or row is None:
        return []
    if row.period not in (None, "half"):
        return _period_items(row, found.held, today, organiser)
    year = today.year
    held = found.held
    prefix = f"组织{organiser}巡河：" if organiser else ""
    key_prefix = "organise:" if organiser else ""
    kinds = ("patrol_organise",) * 2 if organiser else ("patrol_half", "patrol_year")
    items: list[Item] = []
    half = 1 if today.month <= 6 else 2
    lo, hi = half_year_bounds(year, half)
    need_half = max(0, (row.required_h1 - row.h1) if half == 1 else (row.required_h2 - row.h2))
    if need_half:
        due = held.last_day_in(lo, hi) or hi
        items.append(
            item(
                f"{key_prefix}patrol:{official_id}:{year}H{half}",
                kinds[0],
                f"{prefix}{year}年{HALF_NAMES[half]}还需巡河 {need_half} 次"
                f"（每半年至少 {row.required_per_half} 次）",
                due,
                "/#patrols",
                today,
            )
        )
    need_year = max(0, row.required_total - row.total)
    if need_year:
        due = held.last_day_in(date(year, 1, 1), date(year, 12, 31)) or date(year, 12, 31)
        items.append(
            item(
                f"{key_prefix}patrol:{official_id}:{year}",
                kinds[1],
                f"{prefix}{year}年还需巡河 {need_year} 次（全年至少 {row.required_total} 次，"
                f"已巡 {row.total} 次）",
                due,
                "/#patrols",
                today,
            )
        )
    return items


def _period_items(row: ComplianceRow, held: Held, today: date, organiser: str | None) -> list[Item]:
    """A county, township or village chief's current period, and the periods missed so far."""
    official_id = row.official_id
    prefix = f"组织{organiser}巡河：" if organiser else ""
    key_prefix = "organise:" if organiser else ""
    assert row.period is not None
    unit = PERIOD_ZH[row.period]
    items: list[Item] = []
    missed = [p for p in row.periods if p.to < today and p.done < p.required]
    for p in row.periods:
        need = p.required - p.done
        if p.from_ <= today <= p.to and need > 0:
            items.append(
                item(
                    f"{key_prefix}patrol:{official_id}:{p.label}",
                    "patrol_organise" if organiser else "patrol_period",
                    f"{prefix}{p.label}还需巡河 {need} 次（每{unit}至少 {p.required} 次）",
                    held.last_day_in(p.from_, p.to) or p.to,
                    "/#patrols",
                    today,
                )
            )
    if missed:
        items.append(
            item(
                f"{key_prefix}patrol-missed:{official_id}:{today.year}:{len(missed)}",
                "patrol_organise" if organiser else "patrol_missed",
                f"{prefix}{today.year}年已有 {len(missed)} 个{unit}未按要求巡河"
                f"（最近：{missed[-1].label}）",
                missed[-1].to,
                "/#patrols",
                today,
            )
        )
    return items
