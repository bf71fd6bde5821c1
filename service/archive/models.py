"""Rows of ``river_archive``: the fields of a river's archive (一河一档) the office types in.

Everything the service already knows (code, name, class, length in the city, counties,
townships, reaches and chiefs, monitoring sections, plans and lists) is computed when the
archive is read (``service.archive.queries``); only what no other table holds is kept here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, DateTime, Float, ForeignKey, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base


class RiverArchive(Base):
    """The typed-in archive fields of one river.

    ``river_level``: 河流等级 as the province lists it (e.g. 省级河流, 市级河流).
    ``total_length_km``: the whole river's length, source to mouth (the length inside the
    city is computed from the segments). ``catchment_area_km2``: 流域面积, if known.
    ``water_function_zones``: a list of ``{name, kind, start, end, target_class}``;
    ``main_problems``: a list of short texts. Both are bounded by
    ``service.archive.schemas.ArchiveIn``.
    """

    __tablename__ = "river_archive"
    __table_args__ = (
        CheckConstraint(
            "total_length_km IS NULL OR total_length_km > 0", name="ck_river_archive_length"
        ),
        CheckConstraint(
            "catchment_area_km2 IS NULL OR catchment_area_km2 > 0", name="ck_river_archive_area"
        ),
    )

    river_id: Mapped[int] = mapped_column(
        ForeignKey("river.id", ondelete="CASCADE"), primary_key=True
    )
    river_level: Mapped[str | None] = mapped_column(Text)
    basin: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    mouth: Mapped[str | None] = mapped_column(Text)
    total_length_km: Mapped[float | None] = mapped_column(Float)
    catchment_area_km2: Mapped[float | None] = mapped_column(Float)
    water_function_zones: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, default=list, server_default="[]"
    )
    main_problems: Mapped[list[str]] = mapped_column(JSONB, default=list, server_default="[]")
    note: Mapped[str | None] = mapped_column(Text)
    updated_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
