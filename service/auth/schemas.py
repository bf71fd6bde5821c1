"""API shapes for authentication."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

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


class DownloadLinkIn(InputModel):
    """``POST /api/v1/download-links``: the GET path (with its query) to download."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"path": "/api/v1/compliance?year=2026&format=xlsx"}]}
    )

    path: str = Field(min_length=1, max_length=2048)


class DownloadLinkOut(BaseModel):
    """A single-use link: fetch ``url`` (no bearer header) once before ``expires_at``."""

    url: str
    expires_at: datetime
