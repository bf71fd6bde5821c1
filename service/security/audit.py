"""The audit log, written in ONE place: SQLAlchemy session events.

Every flush of every ``Session`` records its inserts, updates and deletes (``after_flush``),
and every DML statement run through ``Session.execute`` (ORM bulk ``update()``/``delete()``,
Core ``insert()``, and ``text()`` SQL that starts with INSERT/UPDATE/DELETE) is recorded by
``do_orm_execute``. Domain code therefore gets audited without doing anything. Writes that
bypass the Session (``engine.connect()``, ``pandas.to_sql``) are not seen: keep user-facing
writes on the request session.

The actor comes from the session (``set_actor``, called by the auth dependency for every
request), else from a context variable (``acting_as("cli")`` in commands), else ``system``.
The request line and client address come from ``AuditContextMiddleware``.

Audit rows are written on the same connection inside the same transaction, so a rolled-back
write leaves no audit row either, and an audit row never claims a write that did not happen.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql.elements import TextClause

from service.security.models import AuditLog

#: Tables never audited: the log itself, and the rate-limit slots (bookkeeping of abuse
#: controls, one per attempt, not anybody's change of data).
EXCLUDED_TABLES: set[str] = {"audit_log", "rate_limit_slot"}
#: Over this many rows of one table and action in one flush, one summary row is written.
BULK_THRESHOLD = 25
#: Columns whose values are never copied into the log.
_SECRET = re.compile(r"password|secret|token_hash|api_key", re.IGNORECASE)
_MAX_TEXT = 200
_MAX_IDS = 50


@dataclass(frozen=True)
class Actor:
    """Who is writing: ``user:<username>`` with the account id, or a fixed name."""

    name: str
    user_id: int | None = None


SYSTEM = Actor("system")
_actor: ContextVar[Actor | None] = ContextVar("riverchief_audit_actor", default=None)
_request: ContextVar[tuple[str, str | None] | None] = ContextVar(
    "riverchief_audit_request", default=None
)
#: Per request: whether a transaction with writes was committed (a mutable cell, so sync
#: routes running in a worker thread with a copy of the context still set it).
_committed: ContextVar[list[bool] | None] = ContextVar("riverchief_committed", default=None)


def exclude_table(name: str) -> None:
    """Opt a derived, rebuildable table out of the log (e.g. a cache recomputed on import)."""
    EXCLUDED_TABLES.add(name)


def set_actor(session: Session, user: Any | None, *, fallback: str = "anonymous") -> None:
    """Record ``user`` (a ``UserAccount`` or None) as the actor of this session's writes."""
    if user is None:
        session.info["audit_actor"] = Actor(fallback)
    else:
        session.info["audit_actor"] = Actor(f"user:{user.username}", int(user.id))


@contextmanager
def acting_as(name: str) -> Iterator[None]:
    """Attribute writes in this block to ``name`` (``cli``, ``demo``, ``remind``…)."""
    token = _actor.set(Actor(name))
    try:
        yield
    finally:
        _actor.reset(token)


@contextmanager
def request_context(line: str, ip: str | None) -> Iterator[None]:
    """Remember the request line and client address for audit rows written inside."""
    token = _request.set((line, ip))
    committed = _committed.set([False])
    try:
        yield
    finally:
        _committed.reset(committed)
        _request.reset(token)


def writes_committed() -> bool:
    """Whether this request has committed a transaction that wrote something."""
    cell = _committed.get()
    return bool(cell and cell[0])


def _after_commit(session: Session) -> None:
    if session.info.pop("wrote", False):
        cell = _committed.get()
        if cell is not None:
            cell[0] = True


def _after_rollback(session: Session) -> None:
    session.info.pop("wrote", None)


def current_actor(session: Session) -> Actor:
    actor = session.info.get("audit_actor")
    if isinstance(actor, Actor):
        return actor
    return _actor.get() or SYSTEM


def summarise(value: Any) -> Any:
    """A JSON-safe, bounded summary of a column value (geometry and blobs by size only)."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return value if len(value) <= _MAX_TEXT else value[:_MAX_TEXT] + "…"
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(value)} bytes>"
    kind = type(value).__name__
    if "Element" in kind or hasattr(value, "geom_type"):  # GeoAlchemy2 / shapely geometry
        return "<geometry>"
    if isinstance(value, dict | list | tuple):
        text = json.dumps(value, default=str, ensure_ascii=False)
        return value if len(text) <= _MAX_TEXT else f"<json {len(text)} chars>"
    return summarise(str(value))


def _columns(obj: Any) -> dict[str, str]:
    """Attribute key -> column name of a mapped object's column attributes."""
    mapper = inspect(obj).mapper
    return {attr.key: attr.columns[0].name for attr in mapper.column_attrs}


def _row_id(obj: Any) -> str:
    state = inspect(obj)
    ident = state.identity or state.mapper.primary_key_from_instance(obj)
    return ",".join(str(part) for part in ident) if ident else ""


def _snapshot(obj: Any) -> dict[str, Any]:
    """Loaded column values only: never triggers a load (the row may already be deleted)."""
    loaded = inspect(obj).dict
    return {
        column: "***" if _SECRET.search(column) else summarise(loaded[key])
        for key, column in _columns(obj).items()
        if key in loaded
    }


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key, column in _columns(obj).items():
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if _SECRET.search(column):
            before[column], after[column] = "***", "*** (changed)"
        else:
            before[column], after[column] = summarise(old), summarise(new)
    return before, after


def _table(obj: Any) -> str:
    return str(inspect(obj).mapper.persist_selectable.name)


def _base_row(session: Session) -> dict[str, Any]:
    actor = current_actor(session)
    request = _request.get()
    return {
        "actor": actor.name[:96],
        "actor_id": actor.user_id,
        "request": request[0][:500] if request else None,
        "ip": request[1] if request else None,
    }


def _write(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.connection().execute(insert(AuditLog), rows)


def _after_flush(session: Session, _flush_context: Any) -> None:
    if session.new or session.dirty or session.deleted:
        session.info["wrote"] = True
    groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for action, pending in (
        ("insert", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in pending:
            table = _table(obj)
            if table in EXCLUDED_TABLES:
                continue
            if action == "update" and not session.is_modified(obj, include_collections=False):
                continue
            groups[(table, action)].append(obj)
    if not groups:
        return
    base = _base_row(session)
    rows: list[dict[str, Any]] = []
    for (table, action), objects in groups.items():
        if len(objects) > BULK_THRESHOLD:
            ids = [_row_id(obj) for obj in objects[:_MAX_IDS]]
            rows.append(
                {
                    **base,
                    "action": f"bulk_{action}",
                    "table_name": table,
                    "row_id": None,
                    "before": None,
                    "after": {"rows": len(objects), "first_ids": ids},
                }
            )
            continue
        for obj in objects:
            before: dict[str, Any] | None
            after: dict[str, Any] | None
            if action == "insert":
                before, after = None, _snapshot(obj)
            elif action == "delete":
                before, after = _snapshot(obj), None
            else:
                before, after = _changes(obj)
                if not after:
                    continue
            rows.append(
                {
                    **base,
                    "action": action,
                    "table_name": table,
                    "row_id": _row_id(obj),
                    "before": before,
                    "after": after,
                }
            )
    _write(session, rows)


_COMMENT = re.compile(r"^\s*(--[^\n]*\n|/\*.*?\*/)", re.DOTALL)
_DML_START = re.compile(
    r"^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+([A-Za-z_][\w.\"]*)", re.IGNORECASE
)
_DML_AFTER_CTE = re.compile(
    r"\)\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+([A-Za-z_][\w.\"]*)", re.IGNORECASE
)


def _text_dml(sql: str) -> tuple[str, str] | None:
    """(action, table) when a raw SQL statement writes, else None."""
    while (match := _COMMENT.match(sql)) is not None:
        sql = sql[match.end() :]
    found = _DML_START.match(sql)
    if found is None and sql.lstrip()[:4].upper() == "WITH":
        found = _DML_AFTER_CTE.search(sql)
    if found is None:
        return None
    verb = found.group(1).split()[0].lower()
    return verb, found.group(2).replace('"', "").rpartition(".")[2]


def _statement_target(state: ORMExecuteState) -> tuple[str, str] | None:
    statement = state.statement
    if isinstance(statement, TextClause):
        return _text_dml(statement.text)
    if not getattr(statement, "is_dml", False):
        return None
    table = getattr(statement, "table", None)
    name = getattr(table, "name", None)
    if name is None:
        return None
    verb = "insert" if state.is_insert else "update" if state.is_update else "delete"
    return verb, str(name)


def _on_execute(state: ORMExecuteState) -> Any:
    target = _statement_target(state)
    if target is not None:
        state.session.info["wrote"] = True
    if target is None or target[1] in EXCLUDED_TABLES:
        return None
    verb, table = target
    result = state.invoke_statement()
    params = state.parameters
    rows = len(params) if isinstance(params, list) else None
    statement = str(state.statement)
    after = {
        "rowcount": getattr(result, "rowcount", None) if rows is None else rows,
        "statement": statement if len(statement) <= 500 else statement[:500] + "…",
    }
    _write(
        state.session,
        [
            {
                **_base_row(state.session),
                "action": f"bulk_{verb}",
                "table_name": table,
                "row_id": None,
                "before": None,
                "after": after,
            }
        ],
    )
    return result


def install() -> None:
    """Register the listeners on every Session (idempotent); the composition calls it
    (``service.domains``, the security domain's ``session_setup``)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "do_orm_execute", _on_execute)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)
