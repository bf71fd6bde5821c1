"""Fixtures of the notification tests: the providers as local servers (tests/notifications/
servers.py) wired into the settings, and the worker run over the test's own session.

``run()`` sends what is due with ``service.notifications.worker.run_once`` inside the test's
rolled-back transaction (each claim's COMMIT becomes a savepoint release); the journeys that
must run the real command commit their data and clean up after themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import nullcontext
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from service.notifications.worker import RunReport, run_once
from service.settings import Settings, get_settings
from service.timeutil import today_local
from tests.notifications.servers import AliyunSms, DingTalkRobot, Smtp, WeComRobot

Headers = Callable[[str], dict[str, str]]
BESIDE_DADU = (103.6262, 29.3396)  # 沙湾区 (511111), 56 m from 大渡河
BASE = "https://hz.leshan.example"
SMS_TEMPLATES = {
    "public_report_accepted": "SMS_100001",
    "public_report_closed": "SMS_100002",
    "public_report_replied": "SMS_100003",
    "default": "SMS_100009",
}


@pytest.fixture
def notify_settings(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """No back-off (a retry is due at once), three tries, absolute links; no channel set."""
    s = get_settings()
    for name, value in {
        "notify_backoff_s": 0.0,
        "notify_max_attempts": 3,
        "notify_timeout_s": 2.0,
        "public_base_url": BASE,
        "pow_difficulty": 8,
        "reminder_webhook_url": "",
        "dingtalk_webhook_url": "",
        "wecom_webhook_url": "",
        "smtp_url": "",
        "sms_provider": "",
    }.items():
        monkeypatch.setattr(s, name, value)
    return s


@pytest.fixture
def dingtalk(notify_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[DingTalkRobot]:
    robot = DingTalkRobot("tok123", "SECf00dbabe-test-secret")
    monkeypatch.setattr(notify_settings, "dingtalk_webhook_url", robot.url)
    monkeypatch.setattr(notify_settings, "dingtalk_secret", robot.secret)
    yield robot
    robot.http.stop()


@pytest.fixture
def wecom(notify_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[WeComRobot]:
    robot = WeComRobot("wecom-key-1")
    monkeypatch.setattr(notify_settings, "wecom_webhook_url", robot.url)
    yield robot
    robot.http.stop()


@pytest.fixture
def smtp(
    notify_settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Smtp]:
    server = Smtp(tmp_path, "notify@leshan.example", "p@ss word")
    monkeypatch.setattr(
        notify_settings,
        "smtp_url",
        f"smtp://notify%40leshan.example:p%40ss%20word@127.0.0.1:{server.port}",
    )
    monkeypatch.setattr(notify_settings, "smtp_from", "乐山河长办 <notify@leshan.example>")
    monkeypatch.setattr(notify_settings, "smtp_ca_file", str(server.cert))
    yield server
    server.stop()


@pytest.fixture
def sms(notify_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[AliyunSms]:
    server = AliyunSms("LTAItestkey", "test/secret+key=", "乐山河长办", set(SMS_TEMPLATES.values()))
    for name, value in {
        "sms_provider": "aliyun",
        "sms_access_key_id": server.key_id,
        "sms_access_key_secret": server.secret,
        "sms_sign_name": server.sign_name,
        "sms_endpoint": server.url,
        "sms_templates": dict(SMS_TEMPLATES),
    }.items():
        monkeypatch.setattr(notify_settings, name, value)
    yield server
    server.http.stop()


@pytest.fixture
def run(db: Session) -> Callable[..., RunReport]:
    """Send what is due now, in the test's transaction."""

    def go(**kwargs: Any) -> RunReport:
        return run_once(lambda: nullcontext(db), **kwargs)

    return go


def new_problem(client: TestClient, headers: Headers) -> int:
    made = client.post(
        "/api/v1/problems",
        headers=headers("patrol"),
        json={
            "lon": BESIDE_DADU[0],
            "lat": BESIDE_DADU[1],
            "category": "garbage",
            "description": "河滩上堆放生活垃圾",
            "observed_at": datetime.now(UTC).isoformat(),
        },
    )
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def act(client: TestClient, headers: Headers, pid: int, action: str, **fields: Any) -> Any:
    r = client.post(
        f"/api/v1/problems/{pid}/transitions",
        headers=headers("office"),
        json={"action": action, **fields},
    )
    assert r.status_code == 200, r.text
    return r.json()


def assign(client: TestClient, headers: Headers, pid: int, days: int = 10) -> str:
    due = (today_local() + timedelta(days=days)).isoformat()
    act(client, headers, pid, "assign", assignee_county="511111", due_date=due)
    return due


def close_problem(client: TestClient, headers: Headers, pid: int) -> None:
    assign(client, headers, pid)
    act(client, headers, pid, "start")
    act(client, headers, pid, "rectified", note="已清理")
    act(client, headers, pid, "verify")
    act(client, headers, pid, "close")
