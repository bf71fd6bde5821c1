"""The group robots: 钉钉 custom robot (signed) and 企业微信 group robot, markdown messages.

钉钉 (DingTalk custom robot, "加签" security setting): each request carries ``timestamp``
(milliseconds) and ``sign`` query parameters, where
``sign = urlencode(base64(hmac_sha256(secret, f"{timestamp}\\n{secret}")))``; the robot
refuses a timestamp more than an hour off. Errors come as HTTP 200 with ``errcode``:
130101 means sending too fast (20 a minute per robot) and is retried; 310000 (signature,
keyword or IP check failed), 300001 (bad token) and the rest are final.

企业微信 (WeCom group robot): POST to the webhook URL (its ``key`` is the secret) with
``{"msgtype": "markdown", "markdown": {"content": ...}}``; 45009 (rate limit) is retried.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import urllib.parse
from dataclasses import dataclass

from service.notifications.channels.base import DeliveryError, json_errcode, post_json
from service.notifications.messages import Message

DINGTALK_RETRY = frozenset({130101, -1})
WECOM_RETRY = frozenset({45009, -1})


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's signature, URL-encoded as the query parameter value."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


def dingtalk_url(webhook_url: str, secret: str, timestamp_ms: int | None = None) -> str:
    """The webhook URL with ``timestamp`` and ``sign`` appended (when a secret is set)."""
    if not secret:
        return webhook_url
    ts = timestamp_ms if timestamp_ms is not None else int(time.time() * 1000)
    sep = "&" if "?" in webhook_url else "?"
    return f"{webhook_url}{sep}timestamp={ts}&sign={dingtalk_sign(secret, ts)}"


@dataclass(frozen=True)
class DingTalkChannel:
    webhook_url: str
    secret: str
    timeout: float
    kind: str = "dingtalk"

    def send(self, message: Message, address: str, key: str) -> str | None:
        body = {
            "msgtype": "markdown",
            "markdown": {"title": message.subject, "text": message.markdown},
        }
        response = post_json(
            dingtalk_url(self.webhook_url, self.secret), body, timeout=self.timeout
        )
        code, text = json_errcode(response, "钉钉")
        if code == 0:
            return None
        raise DeliveryError(f"钉钉 errcode {code}: {text}", retry=code in DINGTALK_RETRY)


@dataclass(frozen=True)
class WeComChannel:
    webhook_url: str
    timeout: float
    kind: str = "wecom"

    def send(self, message: Message, address: str, key: str) -> str | None:
        body = {"msgtype": "markdown", "markdown": {"content": message.markdown}}
        response = post_json(self.webhook_url, body, timeout=self.timeout)
        code, text = json_errcode(response, "企业微信")
        if code == 0:
            return None
        raise DeliveryError(f"企业微信 errcode {code}: {text}", retry=code in WECOM_RETRY)
