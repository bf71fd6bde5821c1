"""Rows of ``crossing`` and ``shared_border``.

Both are derived from ``river`` and ``admin_area`` by ``service/sql/crossings.sql`` and rebuilt
whenever either changes (see ``crossings.py``); they are never edited by hand. Cooperation
agreements are governance's (``service.governance.agreements``).
"""

from __future__ import annotations

from datetime import datetime

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base

DIRECTIONS = ("inflow", "outflow", "along")


class Crossing(Base):
    """Where a river meets the focus city's boundary (跨界断面), EPSG:4326.

    ``direction``: ``inflow`` (from the neighbour into the city), ``outflow`` (out of it) or
    ``along`` (the river follows the border within ``tolerance_m``; ``length_m`` is that
    stretch, geodesic metres, and ``reach`` its line). ``geom`` is the point on the border
    (for ``along``: the stretch's midpoint). ``seq`` numbers a river's crossings from upstream.
    ``county_code`` is the city's own county at the crossing, ``neighbor_county_code`` the one
    on the other side.
    """

    __tablename__ = "crossing"
    __table_args__ = (
        CheckConstraint(
            "direction IN ('inflow', 'outflow', 'along')", name="ck_crossing_direction"
        ),
        UniqueConstraint("river_id", "seq", name="uq_crossing_river_seq"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    river_id: Mapped[int] = mapped_column(ForeignKey("river.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    direction: Mapped[str] = mapped_column(String(8))
    city_code: Mapped[str] = mapped_column(ForeignKey("admin_area.code"))
    county_code: Mapped[str | None] = mapped_column(ForeignKey("admin_area.code"))
    neighbor_code: Mapped[str] = mapped_column(ForeignKey("admin_area.code"), index=True)
    neighbor_county_code: Mapped[str | None] = mapped_column(ForeignKey("admin_area.code"))
    length_m: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    tolerance_m: Mapped[float] = mapped_column(Float)
    geom: Mapped[WKBElement] = mapped_column(Geometry("POINT", srid=4326, spatial_index=True))
    reach: Mapped[WKBElement | None] = mapped_column(
        Geometry("LINESTRING", srid=4326, spatial_index=False)
    )
    computed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class SharedBorder(Base):
    """The stretch of the focus city's boundary it shares with one neighbour city (EPSG:4326).

    ``length_m`` is geodesic, metres.
    """

    __tablename__ = "shared_border"

    neighbor_code: Mapped[str] = mapped_column(
        ForeignKey("admin_area.code", ondelete="CASCADE"), primary_key=True
    )
    city_code: Mapped[str] = mapped_column(ForeignKey("admin_area.code"))
    length_m: Mapped[float] = mapped_column(Float)
    geom: Mapped[WKBElement] = mapped_column(
        Geometry("MULTILINESTRING", srid=4326, spatial_index=True)
    )
    computed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
