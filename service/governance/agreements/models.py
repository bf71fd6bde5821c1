"""Rows of ``cooperation_agreement`` and its parties and rivers (seed §10).

An agreement is the instrument under which the parties' river chief offices hold joint
meetings (governance ``meeting`` of kind ``joint``) and owe them (the §10 duty): governance
owns it; the cross-boundary views read it. The tables were created by migration 0004.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base


class CooperationAgreement(Base):
    """A cross-city cooperation agreement (联动机制合作协议, seed §10).

    Joint meetings (governance ``meeting`` of kind ``joint``) refer to it by ``agreement_id``;
    conveners take turns in the parties' ``rotation_order``. ``meeting_interval_months`` is how
    often the parties agreed to meet (for the next meeting's due date).
    """

    __tablename__ = "cooperation_agreement"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    document_no: Mapped[str | None] = mapped_column(Text)
    signed_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    meeting_interval_months: Mapped[int] = mapped_column(Integer, default=12, server_default="12")
    notes: Mapped[str | None] = mapped_column(Text)
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class AgreementParty(Base):
    """A city party to an agreement (the focus city included) and its place in the rotation."""

    __tablename__ = "agreement_party"
    __table_args__ = (
        UniqueConstraint("agreement_id", "rotation_order", name="uq_agreement_party_order"),
        CheckConstraint("rotation_order >= 1", name="ck_agreement_party_order"),
    )

    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("cooperation_agreement.id", ondelete="CASCADE"), primary_key=True
    )
    city_code: Mapped[str] = mapped_column(
        ForeignKey("admin_area.code"), primary_key=True, index=True
    )
    rotation_order: Mapped[int] = mapped_column(Integer)


class AgreementRiver(Base):
    """A river an agreement covers."""

    __tablename__ = "agreement_river"

    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("cooperation_agreement.id", ondelete="CASCADE"), primary_key=True
    )
    river_id: Mapped[int] = mapped_column(
        ForeignKey("river.id", ondelete="CASCADE"), primary_key=True, index=True
    )
