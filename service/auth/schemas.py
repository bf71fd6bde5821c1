"""API shapes for authentication."""

from __future__ import annotations

from pydantic import BaseModel


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


class Me(BaseModel):
    id: int
    username: str
    role: str
    official_id: int | None
    liaison_unit_id: int | None
    county_code: str | None
    neighbor_code: str | None
