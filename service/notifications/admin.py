"""The office sets channels up in the UI, and every account its preferences.

A channel saved here replaces that channel's ``RIVERCHIEF_*`` settings until it is removed
(``DELETE``). Secret fields are encrypted before they are stored and never returned;
leaving one out of a later save keeps the stored value.
"""

from __future__ import annotations

import contextlib
import re
import urllib.parse
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from service.auth.models import UserAccount
from service.errors import InvalidInput
from service.notifications.channels.base import DeliveryError
from service.notifications.channels.config import (
    CONFIG_MODELS,
    SECRET_FIELDS,
    ChannelSetup,
    build,
    from_row,
    load_setups,
)
from service.notifications.channels.email import parse_smtp_url
from service.notifications.crypto import SecretUnreadable, decrypt, encrypt
from service.notifications.messages import STAFF_EVENTS, message
from service.notifications.models import ChannelConfig, Preference
from service.notifications.schemas import (
    ChannelIn,
    ChannelOut,
    ChannelTestOut,
    PreferencesIn,
    PreferencesOut,
)
from service.notifications.targets import PERSONAL_KINDS, Prefs
from service.public.service import EMAIL

LABELS = {
    "dingtalk": "钉钉群机器人",
    "wecom": "企业微信群机器人",
    "email": "电子邮件（SMTP）",
    "sms": "短信（阿里云）",
    "webhook": "通用 Webhook",
}
#: Mobile numbers only (SMS); e-mail addresses as the public report form takes them.
PHONE = re.compile(r"^(\+?86)?1[3-9]\d{9}$")
URL_FIELDS = ("webhook_url", "endpoint", "url")


def channel_out(setup: ChannelSetup, row: ChannelConfig | None) -> ChannelOut:
    secret_names = SECRET_FIELDS[setup.kind]
    shown: dict[str, Any] = {}
    if setup.config is not None:
        shown = {k: v for k, v in setup.config.model_dump().items() if k not in secret_names}
    elif row is not None:
        shown = dict(row.options)
    if row is not None:
        present = list(row.secret_fields)
    elif setup.config is not None:
        present = [k for k in secret_names if getattr(setup.config, k, "")]
    else:
        present = []
    return ChannelOut(
        kind=setup.kind,  # type: ignore[arg-type]
        label=LABELS[setup.kind],
        source=setup.source,
        enabled=setup.enabled,
        usable=setup.usable,
        problem=setup.problem,
        options=shown,
        secrets_set=present,
        secret_fields=list(secret_names),
    )


def list_channels(session: Session) -> list[ChannelOut]:
    setups = load_setups(session)
    return [channel_out(setups[k], session.get(ChannelConfig, k)) for k in LABELS]


def _check_field(kind: str, name: str, value: Any) -> None:
    if name in URL_FIELDS and value:
        parts = urllib.parse.urlsplit(str(value))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidInput(f"{name} must be an http(s) URL", field=name)
    if name == "smtp_url" and value:
        try:
            parse_smtp_url(str(value))
        except ValueError as exc:
            raise InvalidInput(str(exc), field=name) from exc
    if (
        name == "sender"
        and value
        and not EMAIL.match(str(value).split("<")[-1].rstrip(">").strip())
    ):
        raise InvalidInput("sender must be an e-mail address", field=name)
    if name == "events" and value is not None:
        unknown = [e for e in value if e not in STAFF_EVENTS]
        if unknown:
            raise InvalidInput(
                f"unknown event type {unknown[0]!r}; staff events are: "
                + ", ".join(sorted(STAFF_EVENTS)),
                field=name,
            )


def save_channel(session: Session, kind: str, body: ChannelIn, actor: UserAccount) -> ChannelOut:
    """Validate everything, then store (options in clear, secrets encrypted)."""
    model = CONFIG_MODELS[kind]
    allowed = set(model.model_fields)
    given = body.model_dump(exclude_unset=True, exclude={"enabled"})
    for name, value in given.items():
        if name not in allowed:
            raise InvalidInput(
                f"{name} is not a field of the {kind} channel; its fields are: "
                + ", ".join(sorted(allowed)),
                field=name,
            )
        _check_field(kind, name, value)
    row = session.get(ChannelConfig, kind)
    stored: dict[str, Any] = {}
    if row is not None:
        stored = dict(row.options)
        if row.secret:
            # Unreadable: the secrets must be given again (validation below names them).
            with contextlib.suppress(SecretUnreadable):
                stored.update(decrypt(row.secret, kind))
    merged = {**stored, **{k: v for k, v in given.items() if v is not None}}
    try:
        config = model.model_validate(merged)
    except ValidationError as exc:
        names = sorted({str(e["loc"][0]) for e in exc.errors()})
        raise InvalidInput(
            f"the {kind} channel needs: {', '.join(names)}", field=names[0], missing=names
        ) from exc
    values = config.model_dump()
    secret_names = SECRET_FIELDS[kind]
    secrets = {k: str(values[k]) for k in secret_names if values.get(k)}
    if row is None:
        row = ChannelConfig(kind=kind)
        session.add(row)
    row.enabled = body.enabled
    row.options = {k: v for k, v in values.items() if k not in secret_names}
    row.secret = encrypt(secrets, kind) if secrets else None
    row.secret_fields = sorted(secrets)
    row.updated_by = actor.id
    session.flush()
    return channel_out(from_row(row), row)


def delete_channel(session: Session, kind: str) -> None:
    """Forget the office's configuration: the channel follows the settings again."""
    row = session.get(ChannelConfig, kind)
    if row is not None:
        session.delete(row)
        session.flush()


def test_channel(session: Session, kind: str, address: str, actor: UserAccount) -> ChannelTestOut:
    """Send a test message now (not through the outbox), and say what happened."""
    setup = load_setups(session)[kind]
    channel = build(setup)
    if channel is None:
        return ChannelTestOut(ok=False, error=setup.problem or f"{kind} is not set up or enabled")
    if kind in ("email", "sms") and not address:
        raise InvalidInput(f"a {kind} test needs an address", field="address")
    if kind == "sms" and not PHONE.match(address):
        raise InvalidInput("address is not a mobile number", field="address")
    if kind == "email" and not EMAIL.match(address):
        raise InvalidInput("address is not an e-mail address", field="address")
    msg = message(
        "problem_assigned",
        "测试消息：通知渠道已接通",
        [f"由 {actor.username} 在通知设置中发送。"],
        "/",
        sms={"id": "#0", "name": "测试", "due": "—"},
    )
    try:
        channel.send(msg, address or actor.username, f"test-{kind}")
    except DeliveryError as exc:
        return ChannelTestOut(ok=False, error=exc.reason)
    return ChannelTestOut(ok=True)


# ---- preferences --------------------------------------------------------------------------


def get_preferences(session: Session, user: UserAccount) -> PreferencesOut:
    row = session.get(Preference, user.id)
    p = (
        Prefs()
        if row is None
        else Prefs(
            tuple(row.channels), row.email, row.phone, row.quiet_start, row.quiet_end, row.mode
        )
    )
    setups = load_setups(session)
    return PreferencesOut(
        channels=list(p.channels),  # type: ignore[arg-type]
        email=p.email,
        phone=p.phone,
        quiet_start=p.quiet_start,
        quiet_end=p.quiet_end,
        mode=p.mode,  # type: ignore[arg-type]
        is_default=row is None,
        available=[k for k in PERSONAL_KINDS if setups[k].usable],  # type: ignore[misc]
    )


def put_preferences(session: Session, user: UserAccount, body: PreferencesIn) -> PreferencesOut:
    email = body.email.strip().lower() if body.email and body.email.strip() else None
    phone = re.sub(r"[\s()-]", "", body.phone) if body.phone and body.phone.strip() else None
    if email and not EMAIL.match(email):
        raise InvalidInput("email is not a valid e-mail address", field="email")
    if phone:
        if not PHONE.match(phone):
            raise InvalidInput("phone is not a mobile number (11 digits, 1…)", field="phone")
        phone = phone[-11:]
    if "email" in body.channels and not email:
        raise InvalidInput("the email channel needs an e-mail address", field="email")
    if "sms" in body.channels and not phone:
        raise InvalidInput("the sms channel needs a mobile number", field="phone")
    row = session.get(Preference, user.id)
    if row is None:
        row = Preference(user_id=user.id)
        session.add(row)
    row.channels = list(body.channels)
    row.email, row.phone = email, phone
    row.quiet_start, row.quiet_end = body.quiet_start, body.quiet_end
    row.mode = body.mode
    session.flush()
    return get_preferences(session, user)
