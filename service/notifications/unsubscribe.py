"""A citizen stops the messages about their report: a signed link in every message.

The token is ``<report id>.<HMAC-SHA256 of it>`` with a key derived from
``RIVERCHIEF_SECRET_KEY`` for this purpose only; it names one report and cannot be guessed
for another. Following the link shows a page with a button (mail scanners that open links
must not unsubscribe anyone); the button, or a one-click POST (RFC 8058) from the mail
client, records the unsubscribe and cancels what is still queued for that contact.
"""

from __future__ import annotations

import hashlib
import hmac

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from service.errors import InvalidInput
from service.notifications.messages import absolute
from service.notifications.models import OutboxRow, ReportUnsubscribe
from service.public.models import PublicReport
from service.settings import get_settings
from service.timeutil import now_utc

PATH = "/notifications/unsubscribe"


def _mac(report_id: int) -> str:
    key = hashlib.sha256(b"riverchief unsubscribe v1\0" + get_settings().secret_key.encode())
    return hmac.new(key.digest(), str(report_id).encode(), hashlib.sha256).hexdigest()[:32]


def token_for(report_id: int) -> str:
    return f"{report_id}.{_mac(report_id)}"


def unsubscribe_link(report_id: int) -> str:
    return absolute(f"{PATH}?t={token_for(report_id)}")


def report_of_token(session: Session, token: str) -> PublicReport:
    """The report a token names; 422 for a token that is malformed or not ours."""
    head, _, mac = token.strip().partition(".")
    if not head.isdigit() or len(head) > 12 or not hmac.compare_digest(mac, _mac(int(head))):
        raise InvalidInput("this unsubscribe link is not valid", field="t")
    report = session.get(PublicReport, int(head))
    if report is None:
        raise InvalidInput("this unsubscribe link is not valid", field="t")
    return report


def unsubscribe(session: Session, report: PublicReport) -> int:
    """Record it (once) and cancel the report's queued messages; returns how many."""
    session.execute(
        insert(ReportUnsubscribe)
        .values(report_id=report.id, at=now_utc())
        .on_conflict_do_nothing(index_elements=["report_id"])
    )
    cancelled = session.execute(
        update(OutboxRow)
        .where(OutboxRow.report_id == report.id, OutboxRow.state.in_(("pending", "held")))
        .values(state="cancelled", last_error="the reporter unsubscribed")
    )
    session.flush()
    return int(cancelled.rowcount or 0)  # type: ignore[attr-defined]
