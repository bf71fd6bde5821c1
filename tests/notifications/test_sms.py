"""SMS through Aliyun SendSms, against a local SendSms that recomputes the RPC signature;
rate limits are retried, a bad template fails with the provider's reason and the office's
resend sends it once the template is fixed; a wrong secret is refused by the signature."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.notifications.channels.sms import canonicalized_query, percent_encode, rpc_signature
from service.notifications.models import OutboxRow
from service.settings import get_settings
from tests.notifications.conftest import BASE, Headers
from tests.notifications.servers import AliyunSms, aliyun_encode
from tests.notifications.test_email import accept, report_id, submit


def _row(db: Session, rid: int) -> OutboxRow:
    (row,) = db.scalars(select(OutboxRow).where(OutboxRow.report_id == rid)).all()
    return row


def test_percent_encoding_follows_rfc3986_as_aliyun_signs() -> None:
    for value in ["a b", "*~", "乐山", '{"code":"X"}', "+/=", "-_."]:
        assert percent_encode(value) == aliyun_encode(value)
    assert percent_encode("a b*~") == "a%20b%2A~"
    assert canonicalized_query({"b": "2", "a": "1 1"}) == "a=1%201&b=2"
    # The test server's own implementation (written from the documentation) agrees for GET too.
    params = {"AccessKeyId": "testid", "Action": "SendSms", "Format": "JSON"}
    assert rpc_signature("testsecret", "GET", params) == AliyunSms(
        "testid", "testsecret", "x", set()
    ).signature_for("GET", params)


def test_a_reporter_with_a_phone_gets_a_signed_sms_with_the_template_and_link(
    client: TestClient, auth_headers: Headers, db: Session, sms: AliyunSms, run: Callable[..., Any]
) -> None:
    code = submit(client, contact="138 0013 8000", notify_consent="true").json()["code"]
    rid = report_id(db, code)
    accept(client, auth_headers, rid)
    report = run()
    assert report.sent == 1, _row(db, rid).last_error
    (sent,) = sms.sent
    assert sent["PhoneNumbers"] == "13800138000" and sent["SignName"] == "乐山河长办"
    assert sent["TemplateCode"] == "SMS_100001" and sent["SignatureMethod"] == "HMAC-SHA1"
    params = json.loads(sent["TemplateParam"])
    assert params["code"] == code and params["link"] == f"{BASE}/report#track={code}"
    assert sent["OutId"] == f"outbox-{_row(db, rid).id}"
    assert _row(db, rid).provider_ref == "biz1"


def test_rate_limit_is_retried_until_sent_once(
    client: TestClient, auth_headers: Headers, db: Session, sms: AliyunSms, run: Callable[..., Any]
) -> None:
    sms.rate_limited = 2
    rid = report_id(db, submit(client, contact="13900139000", notify_consent="true").json()["code"])
    accept(client, auth_headers, rid)
    assert run().retried == 1
    assert "isv.BUSINESS_LIMIT_CONTROL" in (_row(db, rid).last_error or "")
    assert run().retried == 1
    assert run().sent == 1
    row = _row(db, rid)
    assert (row.state, row.attempts, len(sms.sent)) == ("sent", 3, 1)
    run()
    assert len(sms.sent) == 1


def test_a_bad_template_fails_with_the_reason_and_the_office_resends_it(
    client: TestClient,
    auth_headers: Headers,
    db: Session,
    sms: AliyunSms,
    run: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        get_settings(), "sms_templates", {"public_report_accepted": "SMS_NOT_APPROVED"}
    )
    rid = report_id(db, submit(client, contact="13700137000", notify_consent="true").json()["code"])
    accept(client, auth_headers, rid)
    assert run().failed == 1
    row = _row(db, rid)
    assert row.state == "failed" and row.attempts == 1
    assert "isv.SMS_TEMPLATE_ILLEGAL" in (row.last_error or "")
    run()
    assert sms.sent == [] and _row(db, rid).attempts == 1  # failed rows are never retried
    seen = client.get(
        "/api/v1/notifications/outbox", params={"state": "failed"}, headers=auth_headers("office")
    )
    assert seen.status_code == 200 and row.id in [i["id"] for i in seen.json()]
    item = next(i for i in seen.json() if i["id"] == row.id)
    assert item["state_label"] == "发送失败" and "SMS_TEMPLATE_ILLEGAL" in item["last_error"]
    monkeypatch.setattr(get_settings(), "sms_templates", {"default": "SMS_100009"})
    again = client.post(
        f"/api/v1/notifications/outbox/{row.id}/resend", headers=auth_headers("office")
    )
    assert again.status_code == 200 and again.json()["notification"]["state"] == "pending"
    assert run().sent == 1 and len(sms.sent) == 1 and sms.sent[0]["TemplateCode"] == "SMS_100009"
    detail = client.get(
        f"/api/v1/notifications/outbox/{row.id}", headers=auth_headers("office")
    ).json()
    assert [h["outcome"] for h in detail["history"]] == ["failed", "resend", "sent"]
    assert detail["history"][1]["actor"] == "office"


def test_a_wrong_secret_is_refused_by_the_signature(
    client: TestClient,
    auth_headers: Headers,
    db: Session,
    sms: AliyunSms,
    run: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(get_settings(), "sms_access_key_secret", "not-the-secret")
    rid = report_id(db, submit(client, contact="13600136000", notify_consent="true").json()["code"])
    accept(client, auth_headers, rid)
    assert run().failed == 1
    assert "SignatureDoesNotMatch" in (_row(db, rid).last_error or "") and sms.sent == []
