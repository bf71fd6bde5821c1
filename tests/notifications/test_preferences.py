"""Each account's preferences (channels, quiet hours, digest or immediate), the channels the
office sets up in the UI (secrets encrypted, never shown back), who may do what."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.notifications.models import ChannelConfig, OutboxRow
from service.notifications.targets import quiet_until
from service.timeutil import LOCAL_TZ, today_local
from service.todo.remind import remind
from tests.notifications.conftest import Headers, assign, new_problem
from tests.notifications.servers import DingTalkRobot, Smtp

PREFS = "/api/v1/me/notification-preferences"
CHANNELS = "/api/v1/notifications/channels"


def _mine(db: Session, pid: int, username: str = "county") -> list[OutboxRow]:
    return list(
        db.scalars(
            select(OutboxRow).where(
                OutboxRow.event_key.like(f"problem_assigned:{pid}:%"),
                OutboxRow.address.ilike(f"{username}@%"),
            )
        )
    )


def test_quiet_hours_wrap_midnight_in_local_time() -> None:
    at = datetime(2026, 11, 29, 23, 30, tzinfo=LOCAL_TZ)
    until = quiet_until(at, time(22, 0), time(7, 30))
    assert until is not None and until.astimezone(LOCAL_TZ) == datetime(
        2026, 11, 30, 7, 30, tzinfo=LOCAL_TZ
    )
    assert quiet_until(at.replace(hour=12), time(22, 0), time(7, 30)) is None
    assert quiet_until(at.replace(hour=6), time(22, 0), time(7, 30)) == at.replace(
        hour=7, minute=30
    )
    assert quiet_until(at, None, None) is None and quiet_until(at, time(8), time(8)) is None


def test_preferences_are_saved_validated_and_used(
    client: TestClient,
    auth_headers: Headers,
    db: Session,
    smtp: Smtp,
    run: Callable[..., Any],
) -> None:
    default = client.get(PREFS, headers=auth_headers("county")).json()
    assert default["is_default"] is True and default["mode"] == "immediate"
    assert default["available"] == ["email"] and default["quiet_start"] is None
    bad = [
        ({"channels": ["email"]}, "email"),
        ({"channels": ["sms"], "phone": "12345"}, "phone"),
        ({"channels": ["fax"]}, "fax"),
        ({"channels": [], "quiet_start": "22:00"}, "quiet_end"),
        ({"channels": [], "colour": "red"}, "colour"),
    ]
    for body, word in bad:
        r = client.put(PREFS, json=body, headers=auth_headers("county"))
        assert r.status_code == 422 and word in r.text, (body, r.text)
    saved = client.put(
        PREFS,
        json={"channels": ["email"], "email": "County@Leshan.example", "mode": "immediate"},
        headers=auth_headers("county"),
    )
    assert saved.status_code == 200 and saved.json()["email"] == "county@leshan.example"
    pid = new_problem(client, auth_headers)
    assign(client, auth_headers, pid)
    run()
    (row,) = _mine(db, pid)
    assert row.state == "sent" and len(smtp.received) == 1
    assert f"问题 #{pid}" in str(smtp.received[0]["Subject"])


def test_quiet_hours_defer_and_digest_mode_holds_for_the_daily_digest(
    client: TestClient,
    auth_headers: Headers,
    db: Session,
    smtp: Smtp,
    run: Callable[..., Any],
) -> None:
    now = datetime.now(LOCAL_TZ)
    start = (now - timedelta(hours=1)).time().replace(second=0, microsecond=0)
    end = (now + timedelta(hours=1)).time().replace(second=0, microsecond=0)
    r = client.put(
        PREFS,
        json={
            "channels": ["email"],
            "email": "county@leshan.example",
            "quiet_start": start.isoformat(),
            "quiet_end": end.isoformat(),
        },
        headers=auth_headers("county"),
    )
    assert r.status_code == 200, r.text
    pid = new_problem(client, auth_headers)
    assign(client, auth_headers, pid)
    run()
    (row,) = _mine(db, pid)
    assert row.state == "pending" and row.next_attempt_at > datetime.now(LOCAL_TZ)
    assert smtp.received == []
    # Digest: held, then carried by the daily digest.
    client.put(
        PREFS,
        json={"channels": ["email"], "email": "county@leshan.example", "mode": "digest"},
        headers=auth_headers("county"),
    )
    other = new_problem(client, auth_headers)
    assign(client, auth_headers, other, days=2)
    run()
    (held,) = _mine(db, other)
    assert held.state == "held"
    remind(db, days=3, today=today_local())
    run()
    digests = [m for m in smtp.received if "每日待办" in str(m["Subject"])]
    assert len(digests) == 1
    text = digests[0].get_content()
    assert f"整改问题 #{other}" in text and "另有" in text and f"问题 #{other}" in text
    db.refresh(held)
    assert held.state == "digested" and held.digest_id is not None


def test_the_office_sets_up_a_channel_whose_secrets_are_never_shown(
    client: TestClient,
    auth_headers: Headers,
    db: Session,
    dingtalk: DingTalkRobot,
    run: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from service.settings import get_settings

    monkeypatch.setattr(get_settings(), "dingtalk_webhook_url", "")  # not in settings
    office = auth_headers("office")
    listed = {c["kind"]: c for c in client.get(CHANNELS, headers=office).json()}
    assert listed["dingtalk"]["source"] == "none" and listed["dingtalk"]["usable"] is False
    for body, word in [
        ({"webhook_url": "ftp://x"}, "http"),
        ({"smtp_url": "smtp://h"}, "smtp_url"),
        ({"webhook_url": dingtalk.url, "events": ["daily_digest"]}, "daily_digest"),
        ({"secret": "x"}, "webhook_url"),
        ({"webhook_url": dingtalk.url, "colour": 1}, "colour"),
    ]:
        r = client.put(f"{CHANNELS}/dingtalk", json=body, headers=office)
        assert r.status_code == 422 and word in r.text, (body, r.text)
    put = client.put(
        f"{CHANNELS}/dingtalk",
        json={"webhook_url": dingtalk.url, "secret": dingtalk.secret},
        headers=office,
    )
    assert put.status_code == 200, put.text
    out = put.json()
    assert out["source"] == "office" and out["usable"] is True
    assert out["secrets_set"] == ["secret", "webhook_url"]
    for text in (put.text, client.get(CHANNELS, headers=office).text):
        assert dingtalk.secret not in text and dingtalk.token not in text
    row = db.get(ChannelConfig, "dingtalk")
    assert row is not None and row.secret is not None and row.secret.startswith("v1:")
    assert dingtalk.secret not in row.secret and dingtalk.token not in str(row.options)
    pid = new_problem(client, auth_headers)
    assign(client, auth_headers, pid)
    run()
    assert len(dingtalk.messages) == 1 and dingtalk.refused == []
    # A later save without the secret keeps it; switching off stops posting.
    off = client.put(f"{CHANNELS}/dingtalk", json={"enabled": False}, headers=office)
    assert off.status_code == 200 and off.json()["secrets_set"] == ["secret", "webhook_url"]
    assert off.json()["usable"] is False
    tested = client.post(f"{CHANNELS}/dingtalk/test", json={}, headers=office).json()
    assert tested["ok"] is False
    on = client.put(f"{CHANNELS}/dingtalk", json={"enabled": True}, headers=office)
    assert on.json()["usable"] is True
    tested = client.post(f"{CHANNELS}/dingtalk/test", json={}, headers=office).json()
    assert tested == {"ok": True, "error": None} and len(dingtalk.messages) == 2
    assert client.delete(f"{CHANNELS}/dingtalk", headers=office).status_code == 204
    assert client.get(CHANNELS, headers=office).json()[0]["source"] == "none"


def test_who_may_do_what(client: TestClient, auth_headers: Headers) -> None:
    assert client.get("/api/v1/notifications/outbox").status_code == 401
    for user in ("county", "chief", "liaison", "patrol", "meishan"):
        assert (
            client.get("/api/v1/notifications/outbox", headers=auth_headers(user)).status_code
            == 403
        )
        assert client.get(CHANNELS, headers=auth_headers(user)).status_code == 403
        assert client.get(PREFS, headers=auth_headers(user)).status_code == 200
    assert client.get(PREFS).status_code == 401
    r = client.post("/api/v1/notifications/outbox/999999/resend", headers=auth_headers("office"))
    assert r.status_code == 404
