"""Rows of ``admin_area``."""

from __future__ import annotations

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import CheckConstraint, Float, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base

AREA_LEVELS = ("city", "county")
AREA_ROLES = ("focus_city", "focus_county", "neighbor_city", "neighbor_county")


class AdminArea(Base):
    """A city or county polygon (EPSG:4326), keyed by its administrative code."""

    __tablename__ = "admin_area"
    __table_args__ = (
        CheckConstraint("level IN ('city', 'county')", name="ck_admin_area_level"),
        CheckConstraint(
            "role IN ('focus_city', 'focus_county', 'neighbor_city', 'neighbor_county')",
            name="ck_admin_area_role",
        ),
    )

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(8))
    parent_code: Mapped[str | None] = mapped_column(String(12))
    role: Mapped[str] = mapped_column(String(16), index=True)
    area_km2: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str | None] = mapped_column(Text)
    geom: Mapped[WKBElement] = mapped_column(
        Geometry("MULTIPOLYGON", srid=4326, spatial_index=True)
    )
