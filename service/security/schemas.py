"""API shapes of the account administration and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

Role = Literal["office", "chief", "liaison", "county", "township", "patrol", "neighbor_viewer"]


class UserOut(BaseModel):
    """An account as the office sees it (never its password hash)."""

    id: int
    username: str
    role: str
    official_id: int | None
    liaison_unit_id: int | None
    county_code: str | None
    neighbor_code: str | None
    township_code: str | None = None
    disabled: bool
    failed_logins: int
    locked_until: datetime | None
    created_at: datetime


class UserCreate(BaseModel):
    """A new account; without ``password`` one is generated and returned once."""

    username: str = Field(min_length=1, max_length=64, pattern=r"^[\w.@-]+$")
    role: Role
    password: str | None = Field(default=None, max_length=256)
    official_id: int | None = None
    liaison_unit_id: int | None = None
    county_code: str | None = Field(default=None, max_length=12)
    neighbor_code: str | None = Field(default=None, max_length=12)
    township_code: str | None = Field(default=None, pattern=r"^[0-9]{9}$")


class UserCreated(UserOut):
    #: Only when the server generated it: shown once, never stored in clear.
    password: str | None = None


class UserUpdate(BaseModel):
    """Change role, bindings or the disabled flag; each change revokes the account's tokens."""

    role: Role | None = None
    disabled: bool | None = None
    official_id: int | None = None
    liaison_unit_id: int | None = None
    county_code: str | None = Field(default=None, max_length=12)
    neighbor_code: str | None = Field(default=None, max_length=12)
    township_code: str | None = Field(default=None, pattern=r"^[0-9]{9}$")


class PasswordReset(BaseModel):
    """The office sets a password, or leaves it out to get a generated one."""

    password: str | None = Field(default=None, max_length=256)


class PasswordResetOut(BaseModel):
    user_id: int
    #: The generated password (shown once), or null when the office chose it.
    password: str | None = None


class AuditOut(BaseModel):
    """One audited write; ``before``/``after`` summarise the changed columns."""

    id: int
    at: datetime
    actor: str
    actor_id: int | None
    action: str
    table_name: str
    row_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request: str | None
    ip: str | None
