"""Which channels exist and how they are set up: from settings (``RIVERCHIEF_*``), or by the
office in the UI (a ``notification_channel`` row, which then takes the settings' place).

Each kind has a typed configuration; its secret fields (webhook URLs carrying their token,
signing secrets, the SMTP URL with its password, the SMS AccessKey secret) live only in
settings or encrypted in the row, and :func:`public_view` never includes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.notifications.channels.base import Channel
from service.notifications.channels.email import EmailChannel
from service.notifications.channels.robots import DingTalkChannel, WeComChannel
from service.notifications.channels.sms import AliyunSms
from service.notifications.channels.webhook import WebhookChannel
from service.notifications.crypto import SecretUnreadable, decrypt
from service.notifications.messages import STAFF_EVENTS
from service.notifications.models import CHANNEL_KINDS, ChannelConfig
from service.settings import Settings, get_settings

Kind = Literal["dingtalk", "wecom", "email", "sms", "webhook"]
#: Group robots post one message per event to the office's group; the others reach people.
GROUP_KINDS = ("dingtalk", "wecom")
#: Fields kept encrypted and never shown back, per kind.
SECRET_FIELDS: dict[str, tuple[str, ...]] = {
    "dingtalk": ("webhook_url", "secret"),
    "wecom": ("webhook_url",),
    "email": ("smtp_url",),
    "sms": ("access_key_secret",),
    "webhook": ("url",),
}


class DingTalkConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    webhook_url: str
    secret: str = ""
    #: Event types posted to the group (None: every staff event).
    events: list[str] | None = None


class WeComConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    webhook_url: str
    events: list[str] | None = None


class EmailConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    smtp_url: str
    sender: str


class SmsConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    provider: Literal["aliyun"] = "aliyun"
    access_key_id: str
    access_key_secret: str
    sign_name: str
    endpoint: str = "https://dysmsapi.aliyuncs.com/"
    templates: dict[str, str] = {}


class WebhookConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str


KindConfig = DingTalkConfig | WeComConfig | EmailConfig | SmsConfig | WebhookConfig
CONFIG_MODELS: dict[str, type[KindConfig]] = {
    "dingtalk": DingTalkConfig,
    "wecom": WeComConfig,
    "email": EmailConfig,
    "sms": SmsConfig,
    "webhook": WebhookConfig,
}


@dataclass(frozen=True)
class ChannelSetup:
    """A channel as it stands: where its configuration comes from, whether it can send, and
    why not (``problem``)."""

    kind: str
    source: Literal["settings", "office", "none"]
    enabled: bool
    config: KindConfig | None
    problem: str | None = None

    @property
    def usable(self) -> bool:
        return self.enabled and self.config is not None and self.problem is None

    def posts(self, event_type: str) -> bool:
        """A group robot posts this event (staff events, filtered by its ``events``)."""
        if self.kind not in GROUP_KINDS or not self.usable or event_type not in STAFF_EVENTS:
            return False
        events = getattr(self.config, "events", None)
        return events is None or event_type in events


def from_settings(kind: str, s: Settings) -> KindConfig | None:
    """The kind's configuration from the environment (None when it is not set)."""
    if kind == "dingtalk" and s.dingtalk_webhook_url:
        return DingTalkConfig(webhook_url=s.dingtalk_webhook_url, secret=s.dingtalk_secret)
    if kind == "wecom" and s.wecom_webhook_url:
        return WeComConfig(webhook_url=s.wecom_webhook_url)
    if kind == "email" and s.smtp_url:
        return EmailConfig(smtp_url=s.smtp_url, sender=s.smtp_from)
    if kind == "sms" and s.sms_provider == "aliyun":
        return SmsConfig(
            access_key_id=s.sms_access_key_id,
            access_key_secret=s.sms_access_key_secret,
            sign_name=s.sms_sign_name,
            endpoint=s.sms_endpoint,
            templates=s.sms_templates,
        )
    if kind == "webhook" and s.reminder_webhook_url:
        return WebhookConfig(url=s.reminder_webhook_url)
    return None


def from_row(row: ChannelConfig) -> ChannelSetup:
    try:
        secrets = decrypt(row.secret, row.kind) if row.secret else {}
    except SecretUnreadable as exc:
        return ChannelSetup(row.kind, "office", row.enabled, None, str(exc))
    try:
        config = CONFIG_MODELS[row.kind].model_validate({**row.options, **secrets})
    except ValidationError as exc:
        missing = ", ".join(str(e["loc"][0]) for e in exc.errors())
        return ChannelSetup(row.kind, "office", row.enabled, None, f"incomplete: {missing}")
    return ChannelSetup(row.kind, "office", row.enabled, config)


def load_setups(session: Session) -> dict[str, ChannelSetup]:
    """Every kind's setup: the office's row if there is one, else the settings."""
    settings = get_settings()
    rows = {r.kind: r for r in session.scalars(select(ChannelConfig))}
    out: dict[str, ChannelSetup] = {}
    for kind in CHANNEL_KINDS:
        if kind in rows:
            out[kind] = from_row(rows[kind])
            continue
        config = from_settings(kind, settings)
        out[kind] = ChannelSetup(kind, "settings" if config else "none", config is not None, config)
    return out


def build(setup: ChannelSetup) -> Channel | None:
    """The channel object that sends (None when it cannot)."""
    if not setup.usable:
        return None
    c = setup.config
    timeout = get_settings().notify_timeout_s
    if isinstance(c, DingTalkConfig):
        return DingTalkChannel(c.webhook_url, c.secret, timeout)
    if isinstance(c, WeComConfig):
        return WeComChannel(c.webhook_url, timeout)
    if isinstance(c, EmailConfig):
        return EmailChannel(c.smtp_url, c.sender, timeout, get_settings().smtp_ca_file)
    if isinstance(c, SmsConfig):
        return AliyunSms(
            c.access_key_id, c.access_key_secret, c.sign_name, c.endpoint, c.templates, timeout
        )
    if isinstance(c, WebhookConfig):
        return WebhookChannel(c.url, timeout)
    return None
