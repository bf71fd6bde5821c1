"""SMS through a provider adapter; Aliyun SMS ``SendSms`` (dysmsapi, API version 2017-05-25).

Aliyun's RPC signature (SignatureVersion 1.0, HMAC-SHA1), as its documentation describes:

1. Every parameter but ``Signature`` (the common ones: AccessKeyId, Action, Format,
   RegionId, SignatureMethod, SignatureNonce, SignatureVersion, Timestamp, Version; and
   SendSms's: PhoneNumbers, SignName, TemplateCode, TemplateParam, OutId), sorted by name.
2. Names and values percent-encoded as RFC 3986 in UTF-8: ``A-Z a-z 0-9 - _ . ~`` stay,
   everything else becomes ``%XY`` (a space is ``%20``, never ``+``); joined ``k=v`` with
   ``&``: the canonicalized query string.
3. ``StringToSign = Method + "&" + percentEncode("/") + "&" + percentEncode(canonicalized)``.
4. ``Signature = base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign))``.

The request is a form-encoded POST to ``RIVERCHIEF_SMS_ENDPOINT``. The answer's ``Code`` is
``OK`` (with ``BizId``), or an error code: rate limits (``isv.BUSINESS_LIMIT_CONTROL``,
``Throttling.*``) and the provider's own trouble (``isp.SYSTEM_ERROR``, 5xx) are retried;
anything else (bad template, signature, number, missing parameters) is final, with code
and message.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.parse
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from service.notifications.channels.base import DeliveryError, post_form
from service.notifications.messages import Message

API_VERSION = "2017-05-25"
RETRY_CODES = frozenset({"isv.BUSINESS_LIMIT_CONTROL", "isp.SYSTEM_ERROR", "ServiceUnavailable"})


def percent_encode(value: str) -> str:
    """RFC 3986 encoding as Aliyun signs it (``~`` kept, space as ``%20``)."""
    return urllib.parse.quote(value, safe="-_.~")


def canonicalized_query(params: dict[str, str]) -> str:
    return "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))


def string_to_sign(method: str, params: dict[str, str]) -> str:
    return f"{method}&{percent_encode('/')}&{percent_encode(canonicalized_query(params))}"


def rpc_signature(secret: str, method: str, params: dict[str, str]) -> str:
    """Aliyun RPC signature (HMAC-SHA1, version 1.0) of ``params`` (without Signature)."""
    digest = hmac.new(
        f"{secret}&".encode(), string_to_sign(method, params).encode(), hashlib.sha1
    ).digest()
    return base64.b64encode(digest).decode()


def send_sms_params(
    access_key_id: str,
    phone: str,
    sign_name: str,
    template_code: str,
    template_params: dict[str, str],
    out_id: str,
    *,
    now: datetime | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    """Every parameter of a SendSms request except ``Signature``."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return {
        "AccessKeyId": access_key_id,
        "Action": "SendSms",
        "Format": "JSON",
        "RegionId": "cn-hangzhou",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": nonce or uuid.uuid4().hex,
        "SignatureVersion": "1.0",
        "Timestamp": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "Version": API_VERSION,
        "PhoneNumbers": phone,
        "SignName": sign_name,
        "TemplateCode": template_code,
        "TemplateParam": json.dumps(template_params, ensure_ascii=False, separators=(",", ":")),
        "OutId": out_id[:64],
    }


@dataclass(frozen=True)
class AliyunSms:
    access_key_id: str
    access_key_secret: str
    sign_name: str
    endpoint: str
    templates: dict[str, str] = field(default_factory=dict)
    timeout: float = 10.0
    kind: str = "sms"

    def template_for(self, event_type: str) -> str:
        code = self.templates.get(event_type) or self.templates.get("default")
        if not code:
            raise DeliveryError(
                f"no SMS template for {event_type} (set it in RIVERCHIEF_SMS_TEMPLATES or "
                "the SMS channel's templates)",
                retry=False,
            )
        return code

    def send(self, message: Message, address: str, key: str) -> str | None:
        params = send_sms_params(
            self.access_key_id,
            address,
            self.sign_name,
            self.template_for(message.event_type),
            message.sms_params,
            key,
        )
        params["Signature"] = rpc_signature(self.access_key_secret, "POST", params)
        response = post_form(self.endpoint, params, timeout=self.timeout)
        try:
            body = response.json()
        except ValueError as exc:
            raise DeliveryError(
                f"SMS provider answered {response.status_code} without JSON", retry=False
            ) from exc
        code = str(body.get("Code", ""))
        if code == "OK":
            return str(body.get("BizId") or "") or None
        text = f"SMS {code or response.status_code}: {body.get('Message', '')}"
        retry = code in RETRY_CODES or code.startswith("Throttling") or response.status_code >= 500
        raise DeliveryError(text, retry=retry)
