"""API shapes of notifications: the outbox (office), channels (office), preferences (everyone)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

OutboxState = Literal["pending", "sent", "failed", "held", "digested", "cancelled"]
ChannelKind = Literal["dingtalk", "wecom", "email", "sms", "webhook"]
PersonalKind = Literal["email", "sms", "webhook"]


class OutboxItem(BaseModel):
    """One notification as the office sees it."""

    id: int
    event_key: str
    event_type: str
    event_label: str
    recipient: str = Field(description="user:<id>, report:<id> or group")
    recipient_label: str = Field(description="the account, 举报 <code>, or 工作群")
    channel: ChannelKind
    address: str
    state: OutboxState
    state_label: str
    attempts: int
    last_error: str | None
    next_attempt_at: datetime
    created_at: datetime
    sent_at: datetime | None
    subject: str
    link: str


class AttemptOut(BaseModel):
    at: datetime
    outcome: Literal["sent", "retry", "failed", "resend"]
    error: str | None
    actor: str | None = Field(None, description="who asked for a resend")


class OutboxDetail(OutboxItem):
    text: str
    history: list[AttemptOut]


class ChannelOut(BaseModel):
    """A channel: where its configuration comes from, whether it can send, and its options.
    Secret fields are listed by name only (``secrets_set``), never their values."""

    kind: ChannelKind
    label: str
    source: Literal["settings", "office", "none"]
    enabled: bool
    usable: bool
    problem: str | None
    options: dict[str, str | list[str] | dict[str, str] | None]
    secrets_set: list[str]
    secret_fields: list[str]


class ChannelIn(BaseModel):
    """Set a channel up (office). Give the fields of its kind; a secret field left out keeps
    the stored value. ``enabled: false`` switches the channel off, whatever the settings say.

    - dingtalk: ``webhook_url``, ``secret`` (加签), ``events``
    - wecom: ``webhook_url``, ``events``
    - email: ``smtp_url`` (smtp://user:pass@host:587), ``sender``
    - sms: ``access_key_id``, ``access_key_secret``, ``sign_name``, ``endpoint``, ``templates``
    - webhook: ``url``
    """

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "enabled": True,
                    "webhook_url": "https://oapi.dingtalk.com/robot/send?access_token=…",
                    "secret": "SEC…",
                    "events": ["problem_assigned", "problem_overdue"],
                }
            ]
        },
    )

    enabled: bool = True
    webhook_url: str | None = Field(None, max_length=2000)
    secret: str | None = Field(None, max_length=500)
    events: list[str] | None = Field(None, max_length=20)
    smtp_url: str | None = Field(None, max_length=2000)
    sender: str | None = Field(None, max_length=254)
    access_key_id: str | None = Field(None, max_length=200)
    access_key_secret: str | None = Field(None, max_length=500)
    sign_name: str | None = Field(None, max_length=100)
    endpoint: str | None = Field(None, max_length=2000)
    templates: dict[str, str] | None = Field(None, max_length=20)
    url: str | None = Field(None, max_length=2000)


class ChannelTestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    address: str = Field(
        "", max_length=254, description="e-mail address or mobile number (email, sms)"
    )


class ChannelTestOut(BaseModel):
    ok: bool
    error: str | None = None


class PreferencesIn(BaseModel):
    """How the caller wants to be told. Quiet hours are local times (Asia/Shanghai), both
    or neither; a window may wrap midnight (22:00 → 07:00)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "channels": ["email", "sms"],
                    "email": "zhang@example.cn",
                    "phone": "13800138000",
                    "quiet_start": "22:00",
                    "quiet_end": "07:30",
                    "mode": "immediate",
                }
            ]
        },
    )

    channels: list[PersonalKind] = Field(max_length=3)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=20)
    quiet_start: time | None = None
    quiet_end: time | None = None
    mode: Literal["immediate", "digest"] = "immediate"

    @model_validator(mode="after")
    def _pairs(self) -> PreferencesIn:
        if (self.quiet_start is None) != (self.quiet_end is None):
            raise ValueError("give both quiet_start and quiet_end, or neither")
        if len(set(self.channels)) != len(self.channels):
            raise ValueError("channels lists a channel twice")
        return self


class PreferencesOut(BaseModel):
    channels: list[PersonalKind]
    email: str | None
    phone: str | None
    quiet_start: time | None
    quiet_end: time | None
    mode: Literal["immediate", "digest"]
    is_default: bool = Field(description="nothing saved yet: these are the defaults")
    available: list[PersonalKind] = Field(description="channels the office has set up")


class ResendOut(BaseModel):
    notification: OutboxItem
