"""钉钉: a problem assigned reaches the office's group as one signed markdown message, checked
by a robot that recomputes the signature; an endpoint that is down loses nothing and
delivers once when it is back; errors are retried or failed with the reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.notifications.channels.robots import dingtalk_url
from service.notifications.models import OutboxAttempt, OutboxRow
from tests.notifications.conftest import Headers, assign, new_problem
from tests.notifications.servers import DingTalkRobot, WeComRobot


def _rows(db: Session, pid: int, channel: str = "dingtalk") -> list[OutboxRow]:
    return list(
        db.scalars(
            select(OutboxRow).where(
                OutboxRow.event_key.like(f"problem_assigned:{pid}:%"), OutboxRow.channel == channel
            )
        )
    )


def test_the_sign_is_the_one_dingtalk_documents(dingtalk: DingTalkRobot) -> None:
    url = dingtalk_url(dingtalk.url, dingtalk.secret, 1_700_000_000_000)
    assert url.startswith(dingtalk.url + "&timestamp=1700000000000&sign=")
    sign = url.rsplit("sign=", 1)[1]
    # URL-encoded base64 of HMAC-SHA256(secret, "timestamp\nsecret"), as the robot computes.
    import urllib.parse

    assert urllib.parse.unquote_plus(sign) == dingtalk.expected_sign("1700000000000")
    assert "%2B" in sign or "%2F" in sign or "%3D" in sign  # really URL-encoded


def test_assigning_a_problem_posts_one_signed_message_naming_it_and_its_due_date(
    client: TestClient,
    auth_headers: Headers,
    db: Session,
    dingtalk: DingTalkRobot,
    wecom: WeComRobot,
    run: Callable[..., Any],
) -> None:
    pid = new_problem(client, auth_headers)
    due = assign(client, auth_headers, pid)
    first = run()
    assert dingtalk.refused == [] and len(dingtalk.messages) == 1
    text = dingtalk.messages[0]["markdown"]["text"]
    assert f"问题 #{pid}" in text and due in text and "沙湾区" in text
    assert dingtalk.messages[0]["msgtype"] == "markdown"
    assert f"/#problem-{pid}" in text
    # 企业微信 gets the same event, as markdown, once.
    assert len(wecom.messages) == 1 and f"#{pid}" in wecom.messages[0]["markdown"]["content"]
    assert first.sent >= 2 and first.failed == 0
    (row,) = _rows(db, pid)
    assert (row.state, row.attempts, row.recipient) == ("sent", 1, "group")
    # Running again sends nothing more.
    run()
    assert len(dingtalk.messages) == 1 and len(wecom.messages) == 1


def test_endpoint_down_nothing_is_lost_and_it_is_delivered_once_when_back(
    client: TestClient,
    auth_headers: Headers,
    db: Session,
    dingtalk: DingTalkRobot,
    run: Callable[..., Any],
) -> None:
    dingtalk.http.stop()
    pid = new_problem(client, auth_headers)
    due = assign(client, auth_headers, pid)
    down = run()
    (row,) = _rows(db, pid)
    assert down.retried == 1 and down.sent == 0
    assert row.state == "pending" and row.attempts == 1 and "unreachable" in (row.last_error or "")
    dingtalk.http.start()
    back = run()
    assert back.sent == 1 and len(dingtalk.messages) == 1 and due in str(dingtalk.messages[0])
    db.refresh(row)
    assert row.state == "sent" and row.attempts == 2 and row.last_error is None
    run()
    assert len(dingtalk.messages) == 1
    outcomes = db.scalars(
        select(OutboxAttempt.outcome)
        .where(OutboxAttempt.outbox_id == row.id)
        .order_by(OutboxAttempt.id)
    ).all()
    assert outcomes == ["retry", "sent"]


def test_rate_limit_is_retried_and_a_bad_signature_fails_with_the_reason(
    client: TestClient,
    auth_headers: Headers,
    db: Session,
    dingtalk: DingTalkRobot,
    run: Callable[..., Any],
    monkeypatch: Any,
) -> None:
    dingtalk.errcode = 130101
    pid = new_problem(client, auth_headers)
    assign(client, auth_headers, pid)
    run()
    (row,) = _rows(db, pid)
    assert row.state == "pending" and "130101" in (row.last_error or "")
    dingtalk.errcode = 0
    run()
    db.refresh(row)
    assert row.state == "sent" and len(dingtalk.messages) == 1
    # A wrong secret: 310000 is final, with 钉钉's reason; never retried.
    from service.settings import get_settings

    monkeypatch.setattr(get_settings(), "dingtalk_secret", "SEC-wrong")
    other = new_problem(client, auth_headers)
    assign(client, auth_headers, other)
    report = run()
    (bad,) = _rows(db, other)
    assert report.failed == 1 and bad.state == "failed"
    assert "310000" in (bad.last_error or "") and "sign not match" in (bad.last_error or "")
    run()
    assert dingtalk.refused == ["sign"] and bad.attempts == 1
