"""Done-when, in a real browser: the office sees the outbox with the state of each
notification and resends a failed one. A 钉钉 robot (checking signatures) refuses the
office's first, wrong secret; the office corrects it on the channels screen, resends the
failed message from the outbox, and the next `riverchief notify run --once` delivers it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from service.settings import REPO_ROOT
from tests.browser.conftest import LiveServer, PageWatch, sign_in
from tests.notifications.conftest import BESIDE_DADU
from tests.notifications.servers import DingTalkRobot

pytestmark = pytest.mark.browser


@pytest.fixture
def robot(live_server: LiveServer) -> Iterator[DingTalkRobot]:
    """The robot, and the office's 钉钉 channel removed afterwards (the server is shared)."""
    r = DingTalkRobot("browser-token", "SEC-browser-secret")
    yield r
    r.http.stop()
    httpx.delete(
        f"{live_server.url}/api/v1/notifications/channels/dingtalk",
        headers={"Authorization": f"Bearer {live_server.token('office')}"},
        timeout=30,
    )


def call(live: LiveServer, method: str, path: str, user: str, body: Any = None) -> Any:
    r = httpx.request(
        method,
        f"{live.url}{path}",
        json=body,
        timeout=30,
        headers={"Authorization": f"Bearer {live.token(user)}"},
    )
    assert r.is_success, r.text
    return r.json() if r.content else None


def notify_run(live: LiveServer) -> str:
    env = dict(os.environ, DATABASE_URL=live.database_url, RIVERCHIEF_ENV="development")
    for name in ("RIVERCHIEF_DINGTALK_WEBHOOK_URL", "RIVERCHIEF_REMINDER_WEBHOOK_URL"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-m", "service.cli", "notify", "run", "--once"],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.stdout + done.stderr


def test_the_office_sees_the_outbox_and_resends_a_failed_notification(
    browser: Any, live_server: LiveServer, robot: DingTalkRobot
) -> None:
    live = live_server
    call(
        live,
        "PUT",
        "/api/v1/notifications/channels/dingtalk",
        "office",
        {"webhook_url": robot.url, "secret": "SEC-a-wrong-secret"},
    )
    made = call(
        live,
        "POST",
        "/api/v1/problems",
        "patrol",
        {
            "lon": BESIDE_DADU[0],
            "lat": BESIDE_DADU[1],
            "category": "garbage",
            "description": "浏览器测试：河滩垃圾",
            "observed_at": datetime.now(UTC).isoformat(),
        },
    )
    pid = made["id"]
    due = (datetime.now(UTC) + timedelta(days=9)).date().isoformat()
    call(
        live,
        "POST",
        f"/api/v1/problems/{pid}/transitions",
        "office",
        {"action": "assign", "assignee_county": "511111", "due_date": due},
    )
    out = notify_run(live)
    assert "failed: 1" in out, out
    assert robot.refused == ["sign"] and robot.messages == []

    ctx = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="zh-CN", service_workers="block"
    )
    page = ctx.new_page()
    watch = PageWatch(page, live.url)
    try:
        page.goto(live.url + "/")
        page.wait_for_selector("body[data-ready='1']", timeout=20000)
        page.wait_for_selector("body[data-wb='1']", state="attached", timeout=20000)
        sign_in(page, "office")
        # exact: the workbench's navigation also links 我的通知设置, 通知发件箱 and 通知渠道.
        page.get_by_role("link", name="通知", exact=True).click()
        page.wait_for_selector("body[data-ready='1']", timeout=20000)
        # The channels screen: the secret is never shown, only that one is set.
        page.get_by_role("link", name="通知渠道").click()
        ding = page.get_by_role("form", name="钉钉群机器人")
        secret = ding.get_by_label("加签密钥 (SEC…)")
        expect(secret).to_have_value("")
        expect(secret).to_have_attribute("placeholder", "已设置（留空则不变）")
        secret.fill(robot.secret)
        ding.get_by_role("button", name="保存 钉钉群机器人").click()
        expect(page.get_by_role("group", name="钉钉群机器人 · 河长办设置 · 可用")).to_be_visible()
        assert robot.secret not in page.content()
        # The outbox: the failed message, its state and reason; resend it.
        page.get_by_role("link", name="通知发件箱").click()
        page.get_by_label("状态").select_option(label="发送失败")
        row = page.locator("tbody tr", has_text=f"问题 #{pid}")
        expect(row).to_contain_text("发送失败")
        expect(row).to_contain_text("310000")
        row.get_by_role("button", name="重发").click()
        expect(page.get_by_role("status")).to_have_text("已重新排队")
        page.get_by_label("状态").select_option(label="待发送")
        expect(page.locator("tbody tr", has_text=f"问题 #{pid}")).to_contain_text("待发送")
        watch.assert_clean()
    finally:
        ctx.close()
    out = notify_run(live)
    assert "sent: 1," in out, out
    assert len(robot.messages) == 1 and f"问题 #{pid}" in robot.messages[0]["markdown"]["text"]
    rows = call(live, "GET", f"/api/v1/notifications/outbox?q=problem_assigned:{pid}:", "office")
    assert [r["state"] for r in rows] == ["sent"]
