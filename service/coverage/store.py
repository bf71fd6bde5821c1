"""The coverage store (migration 0016): periods as stored pieces, rebuild, check, re-cut.

Writes need nothing from Python: statement triggers on ``patrol`` and ``patrol_coverage``
refresh the touched (segment, day) rows, their months and years and their rivers' patrol
counts in the writer's transaction (SQL function ``coverage_refresh``). What lives here:

- ``period_pieces``: a period as whole years, whole months and the days left at its ends,
  which the reads (``service/sql/coverage_*.sql``, ``reach_coverage.sql``, tiles) take;
- ``rebuild``: the store from scratch (``riverchief coverage rebuild``);
- ``check``: the store against a full recompute from the intervals (``riverchief coverage
  check``, the tests);
- ``after_recut``: the re-cut hook (rivers' patrol counts of every day, since intervals on
  deleted segments no longer say which river they were on).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import text
from sqlalchemy.orm import Session

from service.db import READ_PLANNER_SETTINGS, Executor
from service.sql import load_sql

#: Store granularities: day, calendar month, calendar year.
DAY, MONTH, YEAR = "d", "m", "y"


@dataclass(frozen=True)
class PeriodPieces:
    """A period ``start``..``end`` (inclusive local days) as stored pieces: SQL parameters
    ``grains`` (d/m/y) and ``starts`` (first day of each piece), in order, disjoint."""

    grains: list[str]
    starts: list[date]

    def params(self) -> dict[str, object]:
        return {"grains": self.grains, "starts": self.starts}


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def period_pieces(start: date, end: date) -> PeriodPieces:
    """Whole years, then whole months, then days: at most ~60 days and 22 months besides the
    years, so a read costs per segment about the number of pieces, never per patrol."""
    grains: list[str] = []
    starts: list[date] = []
    day = start
    while day <= end:
        if day.month == 1 and day.day == 1 and date(day.year, 12, 31) <= end:
            grains.append(YEAR)
            starts.append(day)
            day = date(day.year + 1, 1, 1)
        elif day.day == 1 and _next_month(day) - timedelta(days=1) <= end:
            grains.append(MONTH)
            starts.append(day)
            day = _next_month(day)
        else:
            grains.append(DAY)
            starts.append(day)
            day += timedelta(days=1)
    return PeriodPieces(grains, starts)


def planner(session: Executor) -> None:
    """No JIT, no generic plans for this transaction (``service.db.READ_PLANNER_SETTINGS``)."""
    if isinstance(session, Session):
        for name, value in READ_PLANNER_SETTINGS.items():
            session.execute(text(f"SET LOCAL {name} = {value}"))


def rebuild(session: Session) -> dict[str, int]:
    """Empty the store and fill it again from the stored intervals (one set-based refresh)."""
    planner(session)
    # fire this transaction's deferred layer-version bumps first: TRUNCATE refuses a table
    # with pending trigger events
    session.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))
    session.execute(text("TRUNCATE coverage_segment_period, coverage_river_period"))
    session.execute(text("SET CONSTRAINTS ALL DEFERRED"))
    session.execute(
        text(
            "SELECT coverage_refresh(array_agg(pc.segment_id), array_agg(p.patrol_date)) "
            "FROM patrol_coverage pc JOIN patrol p "
            "ON p.id = pc.patrol_id AND p.region_code = pc.region_code "
            "WHERE p.valid AND p.voided_at IS NULL"
        )
    )
    # fresh statistics for the refilled tables: with the ones of an empty store the planner
    # expects one row per period and joins the rivers in a nested loop (250 ms instead of
    # 18 ms for the province's year until autovacuum comes round)
    session.execute(text("ANALYZE coverage_segment_period, coverage_river_period"))
    return counts(session)


def counts(session: Session) -> dict[str, int]:
    row = session.execute(
        text(
            "SELECT (SELECT count(*) FROM coverage_segment_period WHERE grain = 'd') AS days, "
            "(SELECT count(*) FROM coverage_segment_period WHERE grain = 'm') AS months, "
            "(SELECT count(*) FROM coverage_segment_period WHERE grain = 'y') AS years, "
            "(SELECT count(*) FROM coverage_river_period) AS river_rows"
        )
    ).one()
    return {k: int(v) for k, v in row._mapping.items()}


@dataclass(frozen=True)
class Mismatch:
    """A stored row that differs from the full recompute (``kind``: segment or river)."""

    kind: str
    key: int
    grain: str
    period_start: date
    stored: float | None
    recomputed: float | None


def check(session: Session, tolerance: float = 1e-9) -> list[Mismatch]:
    """Every stored day, month and year of every segment and river against the same quantity
    recomputed from the intervals (service/sql/coverage_store_check.sql); [] when equal."""
    planner(session)
    rows = session.execute(load_sql("coverage_store_check"), {"tol": tolerance}).all()
    return [
        Mismatch(r.kind, int(r.key), str(r.grain), r.period_start, r.stored, r.recomputed)
        for r in rows
    ]


def after_recut(session: Session, river_ids: list[int]) -> None:
    """Re-cut hook (declared in ``service.domains``): the triggers already refreshed the
    segments whose intervals were re-matched; refresh every stored day of the rivers' new
    segments and the rivers' patrol counts of every day that has any."""
    if not river_ids:
        return
    planner(session)
    session.execute(
        text(
            "SELECT coverage_refresh(array_agg(pc.segment_id), array_agg(p.patrol_date)) "
            "FROM patrol_coverage pc JOIN patrol p "
            "ON p.id = pc.patrol_id AND p.region_code = pc.region_code "
            "JOIN segment s ON s.id = pc.segment_id "
            "WHERE s.river_id = ANY(:rivers) AND p.valid AND p.voided_at IS NULL"
        ),
        {"rivers": list(river_ids)},
    )
    session.execute(
        text(
            "SELECT coverage_refresh_rivers(CAST(:rivers AS int[]), array_agg(DISTINCT day)) "
            "FROM (SELECT period_start AS day FROM coverage_river_period "
            "      WHERE grain = 'd' AND river_id = ANY(:rivers)"
            "      UNION SELECT p.patrol_date FROM patrol p "
            "      JOIN patrol_coverage pc "
            "        ON pc.patrol_id = p.id AND pc.region_code = p.region_code "
            "      JOIN segment s ON s.id = pc.segment_id WHERE s.river_id = ANY(:rivers)) d"
        ),
        {"rivers": sorted(river_ids)},
    )
