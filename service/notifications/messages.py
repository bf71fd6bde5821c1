"""What a notification says: event types, the typed message every channel renders, links.

A :class:`Message` is rendered once, when the event happens, and stored as the outbox row's
``payload``; each channel takes what suits it (markdown for the group robots, subject and
text for e-mail, template parameters for SMS, the whole document for the webhook).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from service.settings import get_settings

EventType = Literal[
    "problem_assigned",
    "problem_overdue",
    "action_item_due",
    "patrol_behind",
    "section_below_target",
    "public_report_accepted",
    "public_report_replied",
    "public_report_closed",
    "daily_digest",
]

#: zh-CN names of the event types (UI, e-mail subjects).
EVENT_LABELS: dict[str, str] = {
    "problem_assigned": "问题交办",
    "problem_overdue": "问题逾期",
    "action_item_due": "议定事项即将到期",
    "patrol_behind": "巡河履职滞后",
    "section_below_target": "断面水质未达标",
    "public_report_accepted": "举报已受理",
    "public_report_replied": "举报有新回复",
    "public_report_closed": "举报已办结",
    "daily_digest": "每日待办",
}
#: Events about the work of the river office: posted to its groups, sent to the accounts
#: concerned. The others go to one account (the digest) or one citizen (their report).
STAFF_EVENTS: frozenset[str] = frozenset(
    {
        "problem_assigned",
        "problem_overdue",
        "action_item_due",
        "patrol_behind",
        "section_below_target",
    }
)
CITIZEN_EVENTS: frozenset[str] = frozenset(
    {"public_report_accepted", "public_report_replied", "public_report_closed"}
)
#: Longest value of one SMS template parameter (Aliyun refuses longer variables).
SMS_PARAM_MAX = 35


class Message(BaseModel):
    """One notification's content, fixed when the event happened.

    ``sms_params``: the SMS template's variables (strings, each at most 35 characters).
    ``data``: machine-readable facts for the webhook (ids, due dates). ``unsubscribe``: the
    link that stops messages to a citizen (every message to one carries it).
    """

    model_config = ConfigDict(extra="forbid")

    event_type: EventType
    subject: str = Field(max_length=200)
    text: str = Field(max_length=20_000)
    markdown: str = Field(max_length=4000, description="企业微信 caps markdown at 4096 bytes")
    link: str = ""
    sms_params: dict[str, str] = Field(default_factory=dict)
    data: dict[str, JsonValue] = Field(default_factory=dict)
    unsubscribe: str | None = None


def absolute(path: str) -> str:
    """``path`` under ``RIVERCHIEF_PUBLIC_BASE_URL`` (unchanged when that is unset)."""
    base = get_settings().public_base_url.rstrip("/")
    return f"{base}{path}" if base and path.startswith("/") else path


def sms_value(value: object) -> str:
    """A template variable: text without line breaks, cut to what the provider accepts."""
    text = " ".join(str(value).split())
    return text if len(text) <= SMS_PARAM_MAX else text[: SMS_PARAM_MAX - 1] + "…"


def message(
    event_type: EventType,
    title: str,
    lines: list[str],
    link_path: str,
    *,
    sms: dict[str, object] | None = None,
    data: dict[str, JsonValue] | None = None,
    unsubscribe: str | None = None,
) -> Message:
    """Render the same content for every channel: a title, a few lines and a link."""
    link = absolute(link_path) if link_path else ""
    label = EVENT_LABELS[event_type]
    body = "\n".join(lines)
    text = f"{title}\n\n{body}"
    markdown = f"#### 【{label}】{title}\n" + "".join(f"> {line}\n" for line in lines)
    if link:
        text += f"\n\n{link}"
        markdown += f"\n[查看详情]({link})\n"
    if unsubscribe:
        text += f"\n\n不想再收到此类消息：{unsubscribe}"
    params = {k: sms_value(v) for k, v in (sms or {}).items()}
    if link:
        params.setdefault("link", link)  # links are not cut: a cut link is useless
    return Message(
        event_type=event_type,
        subject=f"【乐山河长制·{label}】{title}"[:200],
        text=text[:20_000],
        markdown=markdown[:4000],
        link=link,
        sms_params=params,
        data=data or {},
        unsubscribe=unsubscribe,
    )
