"""API shapes of the account administration and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from service.inputs import InputModel

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


class UserCreate(InputModel):
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


class UserUpdate(InputModel):
    """Change role, bindings or the disabled flag; each change revokes the account's tokens."""

    role: Role | None = None
    disabled: bool | None = None
    official_id: int | None = None
    liaison_unit_id: int | None = None
    county_code: str | None = Field(default=None, max_length=12)
    neighbor_code: str | None = Field(default=None, max_length=12)
    township_code: str | None = Field(default=None, pattern=r"^[0-9]{9}$")


class PasswordReset(InputModel):
    """The office sets ``password``, or asks for a generated one with ``generate: true``;
    exactly one of the two (issue 14: a body without ``password`` used to generate one and
    revoke every token, so a typo such as ``pasword`` reset the account)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"password": "a-new-long-password"}, {"generate": True}]}
    )

    password: str | None = Field(default=None, max_length=256)
    generate: bool = False

    @model_validator(mode="after")
    def _one_of(self) -> PasswordReset:
        if (self.password is None) == (not self.generate):
            raise PydanticCustomError(
                "password_or_generate",
                "give either password or generate: true (not both, not neither)",
            )
        return self


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
