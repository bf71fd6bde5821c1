"""API shapes of the search box."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Kind = Literal["problem", "county", "river", "official"]


class SearchHit(BaseModel):
    """One hit: what it is, its id (a county's code), a label, and where it is on the map:
    ``point`` [lon, lat] or ``bbox`` [west, south, east, north] (EPSG:4326)."""

    kind: Kind
    id: str
    label: str
    point: list[float] | None = None
    bbox: list[float] | None = None


class SearchOut(BaseModel):
    q: str
    items: list[SearchHit] = Field(description="problems first, then places, rivers, officials")
