"""HTTP: the outbox and channels (office), each account's preferences, and the citizens'
unsubscribe page (issue 21)."""

from __future__ import annotations

import html
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import HTMLResponse

from service.auth.deps import requires
from service.auth.models import UserAccount
from service.db import SessionDep
from service.errors import InvalidInput
from service.notifications import admin, outbox, unsubscribe
from service.notifications.schemas import (
    ChannelIn,
    ChannelKind,
    ChannelOut,
    ChannelTestIn,
    ChannelTestOut,
    OutboxDetail,
    OutboxItem,
    OutboxState,
    PreferencesIn,
    PreferencesOut,
    ResendOut,
)
from service.pagination import PageDep, set_total
from service.web import assets

router = APIRouter(tags=["notifications"])

Office = Annotated[UserAccount, Depends(requires("notifications.outbox"))]
ChannelAdmin = Annotated[UserAccount, Depends(requires("notifications.channels"))]
Member = Annotated[UserAccount, Depends(requires("notifications.preferences"))]
Anyone = Annotated[UserAccount | None, Depends(requires("notifications.unsubscribe"))]
KindPath = Annotated[ChannelKind, Path(description="dingtalk, wecom, email, sms or webhook")]


@router.get("/notifications", include_in_schema=False)
def notifications_page(request: Request, user: Anyone) -> Response:
    """The notification screens (my settings; the office's outbox and channels); the page
    itself is public, its data comes with the sign-in of the map page (same tab)."""
    return assets.file_response(request, assets.resolve("notifications.html"))


@router.get(
    "/api/v1/notifications/outbox",
    response_model=list[OutboxItem],
    operation_id="list_notifications",
)
def list_outbox(
    session: SessionDep,
    response: Response,
    page: PageDep,
    user: Office,
    state: OutboxState | None = None,
    channel: ChannelKind | None = None,
    event_type: Annotated[str | None, Query(max_length=40)] = None,
    q: Annotated[str | None, Query(max_length=100, description="key, address or subject")] = None,
) -> list[OutboxItem]:
    """通知发件箱: every notification with its state, tries and last error, newest first
    (``X-Total-Count`` has the total)."""
    total, items = outbox.list_outbox(
        session, page.limit, page.offset, state=state, channel=channel, event_type=event_type, q=q
    )
    set_total(response, total)
    return items


@router.get(
    "/api/v1/notifications/outbox/{outbox_id}",
    response_model=OutboxDetail,
    operation_id="get_notification",
)
def get_notification(session: SessionDep, outbox_id: int, user: Office) -> OutboxDetail:
    """One notification: its text and every try (and who asked for a resend)."""
    return outbox.detail(session, outbox.get_row(session, outbox_id))


@router.post(
    "/api/v1/notifications/outbox/{outbox_id}/resend",
    response_model=ResendOut,
    operation_id="resend_notification",
)
def resend_notification(session: SessionDep, outbox_id: int, user: Office) -> ResendOut:
    """重发: a failed (or sent) notification is queued again now; the worker sends it on
    its next run. Pending, held or cancelled ones: 409."""
    row = outbox.resend(session, outbox.get_row(session, outbox_id), user)
    session.commit()
    return ResendOut(notification=outbox.list_outbox(session, 1, 0, q=row.event_key)[1][0])


@router.get(
    "/api/v1/notifications/channels",
    response_model=list[ChannelOut],
    operation_id="list_notification_channels",
)
def list_channels(session: SessionDep, user: ChannelAdmin) -> list[ChannelOut]:
    """Each channel: from settings or set by the office, usable or why not. Secrets are
    named in ``secrets_set``, never shown."""
    return admin.list_channels(session)


@router.put(
    "/api/v1/notifications/channels/{kind}",
    response_model=ChannelOut,
    operation_id="put_notification_channel",
)
def put_channel(
    session: SessionDep, kind: KindPath, body: ChannelIn, user: ChannelAdmin
) -> ChannelOut:
    """Set a channel up; it replaces the channel's settings. Secrets are stored encrypted;
    leave a secret out to keep the stored one."""
    out = admin.save_channel(session, kind, body, user)
    session.commit()
    return out


@router.delete(
    "/api/v1/notifications/channels/{kind}",
    status_code=204,
    operation_id="delete_notification_channel",
)
def delete_channel(session: SessionDep, kind: KindPath, user: ChannelAdmin) -> Response:
    """Forget the office's setup: the channel follows the settings again."""
    admin.delete_channel(session, kind)
    session.commit()
    return Response(status_code=204)


@router.post(
    "/api/v1/notifications/channels/{kind}/test",
    response_model=ChannelTestOut,
    operation_id="test_notification_channel",
)
def test_channel(
    session: SessionDep, kind: KindPath, body: ChannelTestIn, user: ChannelAdmin
) -> ChannelTestOut:
    """Send a test message now (not queued) and report the provider's answer."""
    return admin.test_channel(session, kind, body.address.strip(), user)


@router.get(
    "/api/v1/me/notification-preferences",
    response_model=PreferencesOut,
    operation_id="get_notification_preferences",
)
def get_preferences(session: SessionDep, user: Member) -> PreferencesOut:
    """The caller's channels, addresses, quiet hours and digest or immediate sending."""
    return admin.get_preferences(session, user)


@router.put(
    "/api/v1/me/notification-preferences",
    response_model=PreferencesOut,
    operation_id="put_notification_preferences",
)
def put_preferences(session: SessionDep, body: PreferencesIn, user: Member) -> PreferencesOut:
    out = admin.put_preferences(session, user, body)
    session.commit()
    return out


# ---- citizens: unsubscribe --------------------------------------------------------------


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(title)}</title>"
        "<link rel='stylesheet' href='/static/css/report-public.css'></head>"
        f"<body><header><h1>{html.escape(title)}</h1></header><main>{body}</main></body></html>",
        status_code=status,
    )


Token = Annotated[str, Query(alias="t", max_length=80, description="the link's token")]


@router.get(unsubscribe.PATH, include_in_schema=False)
def unsubscribe_page(session: SessionDep, user: Anyone, t: Token) -> HTMLResponse:
    """The link in a message: a page with a button (link scanners do not unsubscribe)."""
    try:
        report = unsubscribe.report_of_token(session, t)
    except InvalidInput:
        return _page("退订通知", "<p>此退订链接无效。</p>", 422)
    form = (
        f"<p>您将不再收到关于举报 {html.escape(report.code)} 的短信或邮件通知。"
        "办理进度仍可凭查询码在网站上查看。</p>"
        f"<form method='post' action='{unsubscribe.PATH}?t={html.escape(t)}'>"
        "<button type='submit'>确认退订</button></form>"
    )
    return _page("退订通知", form)


@router.post(unsubscribe.PATH, include_in_schema=False)
def unsubscribe_confirm(session: SessionDep, user: Anyone, t: Token) -> HTMLResponse:
    """The button, or a mail client's one-click unsubscribe (RFC 8058)."""
    try:
        report = unsubscribe.report_of_token(session, t)
    except InvalidInput:
        return _page("退订通知", "<p>此退订链接无效。</p>", 422)
    unsubscribe.unsubscribe(session, report)
    session.commit()
    return _page(
        "退订通知",
        f"<p role='status'>已退订：关于举报 {html.escape(report.code)} 的通知不会再发送给您。</p>",
    )
