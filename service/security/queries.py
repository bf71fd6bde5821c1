"""Reads: the audit log with filters, accounts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from service.auth.models import UserAccount
from service.errors import NotFound
from service.pagination import Page
from service.security.models import AuditLog
from service.timeutil import local_day_start_utc


@dataclass
class AuditFilter:
    """Filters of ``GET /api/v1/audit``; days are inclusive local (Asia/Shanghai) days."""

    actor_id: int | None = None
    actor: str | None = None
    table: str | None = None
    action: str | None = None
    row_id: str | None = None
    start: date | None = None
    end: date | None = None


def _filtered(flt: AuditFilter) -> Select[AuditLog]:
    query = select(AuditLog)
    if flt.actor_id is not None:
        query = query.where(AuditLog.actor_id == flt.actor_id)
    if flt.actor is not None:
        query = query.where(AuditLog.actor == flt.actor)
    if flt.table is not None:
        query = query.where(AuditLog.table_name == flt.table)
    if flt.action is not None:
        query = query.where(AuditLog.action == flt.action)
    if flt.row_id is not None:
        query = query.where(AuditLog.row_id == flt.row_id)
    if flt.start is not None:
        query = query.where(AuditLog.at >= local_day_start_utc(flt.start))
    if flt.end is not None:
        query = query.where(AuditLog.at < local_day_start_utc(flt.end + timedelta(days=1)))
    return query


def list_audit(session: Session, flt: AuditFilter, page: Page) -> tuple[int, Sequence[AuditLog]]:
    """(total, newest first page) of audit rows matching ``flt``."""
    query = _filtered(flt)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(AuditLog.id.desc()).limit(page.limit).offset(page.offset)
    ).all()
    return int(total), rows


@dataclass
class UserFilter:
    """Filters of ``GET /api/v1/users``: part of the username, a role, disabled or not."""

    q: str | None = None
    role: str | None = None
    disabled: bool | None = None


def list_users(
    session: Session, page: Page, flt: UserFilter | None = None
) -> tuple[int, Sequence[UserAccount]]:
    flt = flt or UserFilter()
    query = select(UserAccount)
    if flt.q:
        query = query.where(UserAccount.username.icontains(flt.q, autoescape=True))
    if flt.role:
        query = query.where(UserAccount.role == flt.role)
    if flt.disabled is not None:
        query = query.where(UserAccount.disabled.is_(flt.disabled))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(UserAccount.id).limit(page.limit).offset(page.offset)
    ).all()
    return int(total), rows


def get_user(session: Session, user_id: int) -> UserAccount:
    user = session.get(UserAccount, user_id)
    if user is None:
        raise NotFound(f"no account {user_id}")
    return user
