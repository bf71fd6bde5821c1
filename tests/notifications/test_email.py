"""E-mail to a public reporter who agreed on the form: one message when the report is
accepted, one when its problem is closed, each with the tracking link and an unsubscribe
link; delivered over STARTTLS with AUTH to an aiosmtpd server on a self-signed certificate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.notifications.models import OutboxRow
from service.public.models import PublicReport
from service.public.pow import solve
from tests.notifications.conftest import BASE, BESIDE_DADU, Headers, close_problem
from tests.notifications.servers import Smtp

MODERATION = "/api/v1/public/moderation/reports"


def submit(client: TestClient, **fields: Any) -> Any:
    ch = client.get("/api/v1/public/challenge").json()
    form = {
        "lon": str(BESIDE_DADU[0]),
        "lat": str(BESIDE_DADU[1]),
        "datum": "wgs84",
        "category": "garbage",
        "description": "河边堆了很多垃圾",
        "challenge_nonce": ch["nonce"],
        "challenge_counter": solve(ch["nonce"], ch["difficulty"]),
        **fields,
    }
    return client.post("/api/v1/public/reports", data=form)


def report_id(db: Session, code: str) -> int:
    rid = db.scalar(select(PublicReport.id).where(PublicReport.code == code))
    assert rid is not None
    return rid


def accept(client: TestClient, headers: Headers, rid: int) -> int:
    r = client.post(f"{MODERATION}/{rid}/accept", json={}, headers=headers("office"))
    assert r.status_code == 200, r.text
    return int(r.json()["problem_id"])


def body(mail: Any) -> str:
    return str(mail.get_payload(decode=True).decode(mail.get_content_charset() or "utf-8"))


def test_a_reporter_who_left_an_email_gets_one_when_accepted_and_one_when_closed(
    client: TestClient,
    auth_headers: Headers,
    db: Session,
    smtp: Smtp,
    run: Callable[..., Any],
) -> None:
    made = submit(client, contact="Citizen@Example.cn", notify_consent="true")
    assert made.status_code == 201, made.text
    code = made.json()["code"]
    rid = report_id(db, code)
    run()
    assert smtp.received == []  # submitting tells nobody
    pid = accept(client, auth_headers, rid)
    run()
    assert len(smtp.received) == 1
    first = smtp.received[0]
    link = f"{BASE}/report#track={code}"
    assert smtp.envelopes[0] == ("notify@leshan.example", ["citizen@example.cn"])
    assert "已受理" in str(first["Subject"]) or "受理" in body(first)
    assert link in body(first) and code in body(first)
    unsubscribe = str(first["List-Unsubscribe"]).strip("<>")
    assert unsubscribe.startswith(f"{BASE}/notifications/unsubscribe?t={rid}.")
    assert (
        unsubscribe in body(first)
        and first["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    )
    assert smtp.tls_seen  # STARTTLS before the message (the server requires it anyway)
    # Assigning, rectifying and verifying are the office's business: no e-mail.
    close_problem(client, auth_headers, pid)
    run()
    assert len(smtp.received) == 2
    second = smtp.received[1]
    assert "已办结" in body(second) and link in body(second)
    assert first["Message-ID"] != second["Message-ID"]
    run()
    assert len(smtp.received) == 2


def test_no_consent_no_message_and_consent_needs_a_contact(
    client: TestClient, auth_headers: Headers, db: Session, smtp: Smtp, run: Callable[..., Any]
) -> None:
    made = submit(client, contact="someone@example.cn")
    rid = report_id(db, made.json()["code"])
    accept(client, auth_headers, rid)
    run()
    assert smtp.received == []
    assert db.scalars(select(OutboxRow).where(OutboxRow.report_id == rid)).all() == []
    refused = submit(client, notify_consent="true")
    assert refused.status_code == 422 and "notify_consent" in refused.text
    typo = submit(client, contact="someone@example.cn", notify_consnet="true")
    assert typo.status_code == 422 and "notify_consnet" in typo.text
    assert submit(client, notify_consent="maybe").status_code == 422


def test_the_unsubscribe_link_stops_the_messages(
    client: TestClient, auth_headers: Headers, db: Session, smtp: Smtp, run: Callable[..., Any]
) -> None:
    code = submit(client, contact="stop@example.cn", notify_consent="true").json()["code"]
    rid = report_id(db, code)
    pid = accept(client, auth_headers, rid)
    run()
    link = str(smtp.received[0]["List-Unsubscribe"]).strip("<>").removeprefix(BASE)
    page = client.get(link)
    assert page.status_code == 200 and "确认退订" in page.text and code in page.text
    # Opening the link changes nothing (mail scanners open links); the button does.
    r = client.post(
        f"{MODERATION}/{rid}/replies", json={"body": "已转交沙湾区"}, headers=auth_headers("office")
    )
    assert r.status_code == 201
    done = client.post(link)
    assert done.status_code == 200 and "已退订" in done.text
    queued = db.scalars(select(OutboxRow).where(OutboxRow.report_id == rid)).all()
    states = sorted(r.state for r in queued)
    assert states == ["cancelled", "sent"]  # the reply's message was cancelled
    close_problem(client, auth_headers, pid)
    run()
    assert len(smtp.received) == 1
    forged = client.post(link[:-3] + "abc")
    assert forged.status_code == 422


@pytest.mark.parametrize(
    ("answer", "state", "reason"),
    [("451 4.3.0 try again later", "pending", "451"), ("550 5.1.1 no such user", "failed", "550")],
)
def test_smtp_errors_are_retried_or_failed_with_the_reason(
    client: TestClient,
    auth_headers: Headers,
    db: Session,
    smtp: Smtp,
    run: Callable[..., Any],
    answer: str,
    state: str,
    reason: str,
) -> None:
    smtp.answer = answer
    rid = report_id(
        db, submit(client, contact="x@example.cn", notify_consent="true").json()["code"]
    )
    accept(client, auth_headers, rid)
    run()
    (row,) = db.scalars(select(OutboxRow).where(OutboxRow.report_id == rid)).all()
    assert row.state == state and reason in (row.last_error or "")
    smtp.answer = "250 OK"
    run()
    db.refresh(row)
    assert row.state == ("sent" if state == "pending" else "failed")
    assert len(smtp.received) == (1 if state == "pending" else 0)


def test_an_untrusted_certificate_is_refused(
    client: TestClient,
    auth_headers: Headers,
    db: Session,
    smtp: Smtp,
    run: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from service.settings import get_settings

    monkeypatch.setattr(get_settings(), "smtp_ca_file", "")  # system CAs only
    rid = report_id(
        db, submit(client, contact="y@example.cn", notify_consent="true").json()["code"]
    )
    accept(client, auth_headers, rid)
    run()
    (row,) = db.scalars(select(OutboxRow).where(OutboxRow.report_id == rid)).all()
    assert row.state == "failed" and "not trusted" in (row.last_error or "")
    assert smtp.received == []
