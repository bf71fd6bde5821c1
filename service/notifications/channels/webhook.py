"""The generic webhook (``RIVERCHIEF_REMINDER_WEBHOOK_URL``): one JSON POST per notification
of an account, for a deployment that relays to its own SMS gateway or directory.

The body keeps the shape ``riverchief remind`` used to send (``source``, ``reminders``) and
adds ``notification``::

    {"source": "riverchief",
     "notification": {"key": "outbox-41", "event_type": "daily_digest", "username": "county",
                      "role": "county", "subject": "...", "text": "...", "link": "...",
                      "data": {...}},
     "reminders": [{"id": 7, "username": "county", "kind": "problem_assigned", ...}]}

``Idempotency-Key`` carries the outbox row, so a receiver can drop a repeat. Any 2xx answer
counts as delivered; 429 and 5xx are retried; other answers are final.
"""

from __future__ import annotations

from dataclasses import dataclass

from service.notifications.channels.base import post_json
from service.notifications.messages import Message


@dataclass(frozen=True)
class WebhookChannel:
    url: str
    timeout: float
    kind: str = "webhook"

    def send(self, message: Message, address: str, key: str) -> str | None:
        data = dict(message.data)
        reminders = data.pop("reminders", [])
        body = {
            "source": "riverchief",
            "notification": {
                "key": key,
                "event_type": message.event_type,
                "username": address,
                "role": data.get("role"),
                "subject": message.subject,
                "text": message.text,
                "link": message.link,
                "data": data,
            },
            "reminders": reminders,
        }
        post_json(self.url, body, timeout=self.timeout, headers={"Idempotency-Key": key})
        return None
