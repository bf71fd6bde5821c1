"""The one interface every channel implements, and how delivery failures are told apart.

A channel's ``send`` either returns (the provider accepted the message; its reference, if
any) or raises :class:`DeliveryError`:

- ``retry=True``: nothing was delivered (connection refused, rate limited, the provider
  asked to come back later); the worker tries again after a back-off.
- ``retry=False``: trying again would not help (bad template, bad signature, refused
  address) or could deliver twice (the request went out and the answer never came):
  the row is marked failed with the reason, and only the office resends it.

So a retry never repeats a message the provider may already have taken.
"""

from __future__ import annotations

from typing import Protocol

import httpx

from service.notifications.messages import Message


class DeliveryError(Exception):
    """A failed delivery: ``reason`` says why (shown to the office as ``last_error``)."""

    def __init__(self, reason: str, *, retry: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry = retry


class Channel(Protocol):
    """A way to reach people. ``key`` identifies the outbox row: channels pass it to the
    provider where it can deduplicate (Message-ID, Idempotency-Key, OutId)."""

    @property
    def kind(self) -> str: ...

    def send(self, message: Message, address: str, key: str) -> str | None: ...


def _post(url: str, *, timeout: float, **kwargs: object) -> httpx.Response:
    """POST; transport failures become :class:`DeliveryError` (any answer is returned).

    Failures before the request was sent (connect errors) are retried; a request sent whose
    answer never came (read timeout, connection dropped) may have been delivered, so it is
    not retried automatically.
    """
    try:
        return httpx.post(url, timeout=timeout, **kwargs)  # type: ignore[arg-type]
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
        raise DeliveryError(f"{_host(url)} unreachable: {exc}", retry=True) from exc
    except (httpx.ReadTimeout, httpx.RemoteProtocolError, httpx.ReadError) as exc:
        raise DeliveryError(
            f"{_host(url)} did not answer after the request was sent ({exc}); it may have "
            "been delivered, so it is not retried automatically: resend it if it did not "
            "arrive",
            retry=False,
        ) from exc
    except httpx.HTTPError as exc:
        raise DeliveryError(f"{_host(url)}: {exc}", retry=True) from exc


def post_form(url: str, data: dict[str, str], *, timeout: float) -> httpx.Response:
    """POST a form (``application/x-www-form-urlencoded``); the caller reads any answer."""
    return _post(url, timeout=timeout, data=data)


def post_json(
    url: str, body: object, *, timeout: float, headers: dict[str, str] | None = None
) -> httpx.Response:
    """POST JSON; 429 and 5xx answers are retried, other 4xx are final."""
    response = _post(url, timeout=timeout, json=body, headers=headers or {})
    if response.status_code == 429 or response.status_code >= 500:
        raise DeliveryError(
            f"{_host(url)} answered {response.status_code} (rate limit or server error)",
            retry=True,
        )
    if not response.is_success:
        raise DeliveryError(
            f"{_host(url)} answered {response.status_code}: {response.text[:300]}", retry=False
        )
    return response


def _host(url: str) -> str:
    """The host only: webhook URLs carry their token in the query, never shown."""
    try:
        return httpx.URL(url).host or "the endpoint"
    except Exception:
        return "the endpoint"


def json_errcode(response: httpx.Response, who: str) -> tuple[int, str]:
    """``(errcode, errmsg)`` of a 钉钉 / 企业微信 answer (both answer 200 with these)."""
    try:
        body = response.json()
        return int(body.get("errcode", -999)), str(body.get("errmsg", ""))
    except (ValueError, AttributeError) as exc:
        raise DeliveryError(f"{who} answered something that is not JSON", retry=False) from exc
