"""Documents issued in the name of the general chief office, numbered per year.

Minutes (§5, §8), the four lists and plans (§12), assessment results (§16) and circulars
(§20) are all issued "以市总河长办公室名义", so they share one series per year:
乐总河长办发〔2026〕12号. Numbers are allocated under a transaction-scoped advisory lock so
two concurrent issues never get the same number.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
    text,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from service.db import Base

DOCUMENT_PREFIX = "乐总河长办发"
DOCUMENT_KINDS = ("minutes", "annual_lists", "river_plan", "assessment", "circular", "other")
#: Arbitrary but fixed key of the advisory lock that serialises numbering.
_LOCK_KEY = 7_005_001


class OfficeDocument(Base):
    """One issued document: its number in the year's series and what it issued."""

    __tablename__ = "office_document"
    __table_args__ = (UniqueConstraint("prefix", "year", "seq", name="uq_office_document_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    prefix: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(Text, unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    ref_id: Mapped[int | None] = mapped_column(Integer)
    issued_on: Mapped[date] = mapped_column(Date)
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


def format_number(prefix: str, year: int, seq: int) -> str:
    """``乐总河长办发〔2026〕12号``."""
    return f"{prefix}〔{year}〕{seq}号"


def document_number(session: Session, document_id: int | None) -> str | None:
    """The number of an issued document (``乐总河长办发〔2026〕12号``), None if not issued."""
    if document_id is None:
        return None
    return session.scalar(select(OfficeDocument.number).where(OfficeDocument.id == document_id))


def issue_document(
    session: Session,
    *,
    kind: str,
    title: str,
    issued_on: date,
    ref_id: int | None,
    is_synthetic: bool = False,
    prefix: str = DOCUMENT_PREFIX,
) -> OfficeDocument:
    """Allocate the next number of ``issued_on``'s year and record the document."""
    year = issued_on.year
    session.execute(text("SELECT pg_advisory_xact_lock(:k, :y)"), {"k": _LOCK_KEY, "y": year})
    last = session.scalar(
        select(func.max(OfficeDocument.seq)).where(
            OfficeDocument.prefix == prefix, OfficeDocument.year == year
        )
    )
    seq = (last or 0) + 1
    doc = OfficeDocument(
        prefix=prefix,
        year=year,
        seq=seq,
        number=format_number(prefix, year, seq),
        kind=kind,
        title=title,
        ref_id=ref_id,
        issued_on=issued_on,
        is_synthetic=is_synthetic,
    )
    session.add(doc)
    session.flush()
    return doc
