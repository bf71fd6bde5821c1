"""Rows of ``layer_version``: one counter per map layer, bumped by triggers on its tables.

The tile cache, the map read cache and their ETags key on these versions, so nothing is
served from a cache after the data under it changed. Deferred triggers (migration 0009) fire
at COMMIT of a transaction that wrote a table a layer reads, once per layer, and set
``version`` to ``nextval('layer_version_seq')``: a sequence never goes backwards, even when the
changing transaction rolls back, so a version number is never reused for different data; and
bumping at commit keeps the row locked only for the commit, not for a whole upload.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, String, func
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base

#: Each layer and the tables it reads (a change to any of them bumps the layer). The first
#: four are tile layers; ``registry`` versions the river list and river lines; ``reaches``
#: the reaches layer of the map.
LAYER_TABLES: dict[str, tuple[str, ...]] = {
    # Segment lines; their coverage moves per segment (``coverage_segment_version``, issue 22).
    "segments": ("segment", "river"),
    # The coverage store: whole-period coverage reads (/api/v1/coverage).
    "coverage": ("coverage_segment_period", "coverage_river_period"),
    "areas": ("admin_area",),
    "problems": ("problem", "river"),
    "crossings": ("crossing", "river", "admin_area"),
    # Monitoring sections coloured by their latest class (issue 20).
    "sections": ("section", "section_reading"),
    "registry": (
        "river",
        "segment",
        "admin_area",
        "official",
        "assignment",
        "liaison_unit",
        "department",
        "reach",
        "township",
    ),
    # The map's reaches by level and who holds them (issue 18).
    "reaches": ("reach", "assignment", "official"),
}


class LayerVersionRegion(Base):
    """The version of one layer's data in one region (city code), bumped by the deferred
    triggers of the region's problems (migration 0017).

    Readers read ``layer_version_now``: ``LayerVersion.version`` plus the sum over regions.
    On Citus this table is distributed like the patrols, so a trigger on a shard bumps a row
    on its own node.
    """

    __tablename__ = "layer_version_region"

    region_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    layer: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class LayerVersion(Base):
    """The current data version of one map layer (``segments``, ``areas``, ...)."""

    __tablename__ = "layer_version"

    layer: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
