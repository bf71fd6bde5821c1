"""Keeping the coverage store up to date where no trigger can: a Citus coordinator.

On one PostGIS, statement triggers on ``patrol`` and ``patrol_coverage`` refresh the store in
the writer's transaction (migration 0016). On Citus those tables are distributed and their
triggers would fire on the workers' shards, far from the store, which stays on the
coordinator; ``riverchief db distribute`` drops them. There the writers note what they
changed (:func:`note_patrols`, :func:`note_removed_intervals`, :func:`note_everything`; the
ORM's changes to patrols are noted by a flush listener) and, just before the session commits,
the store is refreshed for those (segment, day) keys by the same SQL function the triggers
call, in the same transaction. With the triggers in place every note is a no-op, so the code
is the same on both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import ORMExecuteState, Session

#: ``session.info`` key of what this transaction changed.
PENDING = "riverchief.coverage_pending"
#: Whether the store's triggers exist, per database (URL): asked once.
_TRIGGERS: dict[str, bool] = {}


@dataclass
class Pending:
    """Patrols whose intervals, validity or voiding changed, intervals removed before the
    refresh could see them (segment, patrol), the (segment, day) keys of deleted patrols, or
    everything (a whole-store rebuild)."""

    patrol_ids: set[int] = field(default_factory=set)
    removed: set[tuple[int, int]] = field(default_factory=set)
    keys: set[tuple[int, date]] = field(default_factory=set)  # (segment, day) of deleted ones
    everything: bool = False


def kept_by_triggers(session: Session) -> bool:
    """Whether the store's triggers keep it (one PostGIS), as opposed to this module (Citus)."""
    url = str(session.get_bind().engine.url)
    if url not in _TRIGGERS:
        _TRIGGERS[url] = bool(
            session.execute(
                text(
                    "SELECT EXISTS (SELECT 1 FROM pg_trigger "
                    "WHERE tgname = 'trg_coverage_on_intervals_insert')"
                )
            ).scalar()
        )
    return _TRIGGERS[url]


def _pending(session: Session) -> Pending | None:
    if kept_by_triggers(session):
        return None
    pending = session.info.get(PENDING)
    if pending is None:
        pending = session.info[PENDING] = Pending()
    return pending


def note_patrols(session: Session, patrol_ids: Iterable[int]) -> None:
    """These patrols' intervals, validity or voiding changed (or may have)."""
    if (pending := _pending(session)) is not None:
        pending.patrol_ids.update(int(i) for i in patrol_ids)


def note_removed_intervals(session: Session, rows: Iterable[tuple[int, int]]) -> None:
    """Intervals (segment_id, patrol_id) deleted in this transaction."""
    if (pending := _pending(session)) is not None:
        pending.removed.update((int(s), int(p)) for s, p in rows)


def note_everything(session: Session) -> None:
    """Too much changed to list (all patrols matched or judged again): rebuild at commit."""
    if (pending := _pending(session)) is not None:
        pending.everything = True


def wants_removed_rows(session: Session) -> bool:
    """Whether a writer deleting intervals should return them (:func:`note_removed_intervals`)."""
    return not kept_by_triggers(session)


def refresh_pending(session: Session) -> None:
    """Refresh the store for what this transaction noted (nothing noted: nothing to do)."""
    pending: Pending | None = session.info.pop(PENDING, None)
    if pending is None or not (
        pending.patrol_ids or pending.removed or pending.keys or pending.everything
    ):
        return
    from service.coverage.store import planner, rebuild

    if pending.everything:
        rebuild(session)
        return
    ids = sorted(pending.patrol_ids | {p for _s, p in pending.removed})
    days: dict[int, date] = {
        int(i): d
        for i, d in session.execute(
            text("SELECT id, patrol_date FROM patrol WHERE id = ANY(:ids)"), {"ids": ids}
        ).all()
    }
    current = set(
        session.execute(
            text("SELECT segment_id, patrol_id FROM patrol_coverage WHERE patrol_id = ANY(:ids)"),
            {"ids": sorted(pending.patrol_ids)},
        ).all()
    )
    # (a patrol deleted since is in pending.keys already)
    pairs = sorted({(s, days[p]) for s, p in current | pending.removed if p in days} | pending.keys)
    if not pairs:
        return
    planner(session)
    session.execute(
        text("SELECT coverage_refresh(CAST(:segs AS int[]), CAST(:days AS date[]))"),
        {"segs": [s for s, _d in pairs], "days": [d for _s, d in pairs]},
    )


def _is_patrol(row: object) -> bool:
    # by table name: the patrols domain imports this module, not the other way round
    return getattr(row, "__tablename__", None) == "patrol" and getattr(row, "id", None) is not None


def note_current_keys(session: Session, patrol_ids: Iterable[int]) -> None:
    """The (segment, day) keys these patrols cover now, before a change of their day or their
    deletion takes the old keys away."""
    ids = sorted(int(i) for i in patrol_ids)
    if ids and (pending := _pending(session)) is not None:
        pending.keys.update(
            (int(s), d)
            for s, d in session.execute(
                text(
                    "SELECT pc.segment_id, p.patrol_date FROM patrol_coverage pc "
                    "JOIN patrol p ON p.id = pc.patrol_id AND p.region_code = pc.region_code "
                    "WHERE p.id = ANY(:ids)"
                ),
                {"ids": ids},
            ).all()
        )


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    """Patrols changed or deleted through the ORM (voiding, judging by hand, tests)."""
    changed = [o.id for o in session.dirty if _is_patrol(o)]
    gone = [o.id for o in session.deleted if _is_patrol(o)]
    if not (changed or gone):
        return
    with session.no_autoflush:
        if kept_by_triggers(session):
            return
        note_patrols(session, changed)
        note_current_keys(session, gone)  # its intervals go with it


def _before_commit(session: Session) -> None:
    if session.info.get(PENDING) is not None:
        session.flush()
        refresh_pending(session)


#: The store's tables: a statement naming one reads the store.
STORE_TABLES = (
    "coverage_segment_period",
    "coverage_river_period",
    "coverage_county_river_period",
    "coverage_segment_version",  # the tiles' ETags
)


def _before_execute(state: ORMExecuteState) -> None:
    """Read your own writes: a read of the store in a transaction that noted changes
    refreshes it first, as the triggers would have on one PostGIS."""
    session = state.session
    if session.info.get(PENDING) is None:
        return
    sql = getattr(state.statement, "text", None)  # the store is read by named SQL files
    if sql is None or not any(table in sql for table in STORE_TABLES):
        return
    session.flush()
    refresh_pending(session)


def _after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)


def install() -> None:
    """Register the listeners on every Session (idempotent; the coverage domain's
    ``session_setup`` in ``service.domains``)."""
    if not event.contains(Session, "before_commit", _before_commit):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_rollback", _after_rollback)
        event.listen(Session, "do_orm_execute", _before_execute)
