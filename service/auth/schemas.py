"""API shapes for authentication."""

from __future__ import annotations

from pydantic import BaseModel, Field

from service.inputs import InputModel


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
    township_code: str | None = None


class PasswordChange(InputModel):
    current_password: str = Field(max_length=256)
    new_password: str = Field(min_length=1, max_length=256)
