"""Coverage of reaches: the one place that turns merged covered intervals into a reach's share.

``service/sql/reach_coverage.sql`` takes measure ranges and a period and reads the merged
intervals from the coverage store (issue 22: per segment and day, month, year).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import text
from sqlalchemy.orm import Session

from service.coverage.store import period_pieces
from service.db import READ_PLANNER_SETTINGS
from service.sql import load_sql


@dataclass(frozen=True)
class Range:
    """A stretch of a river by measure (metres along its downstream line), keyed by ``key``."""

    key: int
    river_id: int
    from_m: float
    to_m: float


@dataclass(frozen=True)
class RangeCoverage:
    """``length_m``: geodesic metres of the river inside the city within the range;
    ``covered_m``: of that, patrolled alongside in the period; ``patrols``: how many valid,
    not voided patrols covered some of it."""

    key: int
    length_m: float
    covered_m: float
    patrols: int

    @property
    def coverage(self) -> float:
        return self.covered_m / self.length_m if self.length_m > 0 else 0.0


def range_coverage(
    session: Session, ranges: Sequence[Range], date_from: date, date_to: date
) -> dict[int, RangeCoverage]:
    """Coverage of each range over ``date_from``..``date_to`` (inclusive local days)."""
    if not ranges:
        return {}
    for name, value in READ_PLANNER_SETTINGS.items():  # why: service.db.READ_PLANNER_SETTINGS
        session.execute(text(f"SET LOCAL {name} = {value}"))
    rows = session.execute(
        load_sql("reach_coverage"),
        {
            "keys": [r.key for r in ranges],
            "river_ids": [r.river_id for r in ranges],
            "from_ms": [float(r.from_m) for r in ranges],
            "to_ms": [float(r.to_m) for r in ranges],
            "date_from": date_from,
            "date_to": date_to,
            **period_pieces(date_from, date_to).params(),
        },
    ).all()
    return {
        int(r.key): RangeCoverage(int(r.key), float(r.length_m), float(r.covered_m), int(r.patrols))
        for r in rows
    }
