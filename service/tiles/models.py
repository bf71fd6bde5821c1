"""Rows of ``layer_version``: one counter per map layer, bumped by triggers on its tables.

The tile cache and ETags key on these versions, so a tile is never served from a cache after
the data under it changed. Triggers (migration 0008) run once per statement on every table a
layer reads and set ``version`` to ``nextval('layer_version_seq')``: a sequence never goes
backwards, even when the changing transaction rolls back, so a version number is never reused
for different data.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, String, func
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base

#: Each tile layer and the tables its tiles read (a change to any of them bumps the layer).
LAYER_TABLES: dict[str, tuple[str, ...]] = {
    "segments": ("segment", "river", "patrol", "patrol_coverage"),
    "areas": ("admin_area",),
    "problems": ("problem", "river"),
    "crossings": ("crossing", "river", "admin_area"),
}


class LayerVersion(Base):
    """The current data version of one map layer (``segments``, ``areas``, ...)."""

    __tablename__ = "layer_version"

    layer: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    changed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
