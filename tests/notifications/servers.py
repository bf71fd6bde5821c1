"""Local servers that speak each provider's protocol, for the notification tests.

- :class:`DingTalkRobot`: a 钉钉 custom robot that recomputes the ``sign`` of every request
  from its secret and the ``timestamp`` (refusing a bad one with errcode 310000, as 钉钉 does).
- :class:`WeComRobot`: a 企业微信 group robot (checks the ``key`` in the URL).
- :class:`AliyunSms`: SendSms that recomputes the RPC signature (HMAC-SHA1) from the form
  it received, written here independently of the code under test, and answers with
  Aliyun's codes (OK, isv.BUSINESS_LIMIT_CONTROL, isv.SMS_TEMPLATE_ILLEGAL,
  SignatureDoesNotMatch).
- :class:`Smtp`: aiosmtpd with STARTTLS required and AUTH, on a self-signed certificate
  generated for 127.0.0.1 in the test.

Each can be stopped and started again on the same port (an endpoint that is down).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import Message as EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.support import free_port

Respond = Callable[[str, dict[str, Any]], tuple[int, dict[str, Any]]]


class HttpEndpoint:
    """A threaded HTTP server on a fixed port; ``respond(path_with_query, body)`` decides."""

    def __init__(self, respond: Respond) -> None:
        self.port = free_port()
        self.respond = respond
        self.requests: list[tuple[str, bytes]] = []
        self.server: ThreadingHTTPServer | None = None
        self.start()

    def start(self) -> None:
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                endpoint.requests.append((self.path, raw))
                kind = self.headers.get("Content-Type", "")
                if kind.startswith("application/json"):
                    body = json.loads(raw)
                else:
                    body = dict(urllib.parse.parse_qsl(raw.decode(), keep_blank_values=True))
                body["_headers"] = dict(self.headers)
                status, answer = endpoint.respond(self.path, body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class DingTalkRobot:
    """Accepts a markdown message only with a valid ``timestamp`` + ``sign`` (加签)."""

    def __init__(self, token: str, secret: str) -> None:
        self.token, self.secret = token, secret
        self.messages: list[dict[str, Any]] = []
        self.refused: list[str] = []
        self.errcode = 0  # set to 130101 to answer "sending too fast"
        self.http = HttpEndpoint(self._respond)

    @property
    def url(self) -> str:
        return f"{self.http.base}/robot/send?access_token={self.token}"

    def expected_sign(self, timestamp: str) -> str:
        mac = hmac.new(self.secret.encode(), f"{timestamp}\n{self.secret}".encode(), hashlib.sha256)
        return base64.b64encode(mac.digest()).decode()

    def _respond(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
        if query.get("access_token") != [self.token]:
            self.refused.append("token")
            return 200, {"errcode": 300001, "errmsg": "token is not exist"}
        timestamp = query.get("timestamp", [""])[0]
        sign = query.get("sign", [""])[0]  # parse_qs has undone the URL encoding
        fresh = timestamp.isdigit() and abs(time.time() * 1000 - int(timestamp)) < 3600_000
        if not fresh or not hmac.compare_digest(sign, self.expected_sign(timestamp)):
            self.refused.append("sign")
            return 200, {"errcode": 310000, "errmsg": "sign not match"}
        if self.errcode:
            return 200, {"errcode": self.errcode, "errmsg": "send too fast"}
        body.pop("_headers", None)
        self.messages.append(body)
        return 200, {"errcode": 0, "errmsg": "ok"}


class WeComRobot:
    def __init__(self, key: str) -> None:
        self.key = key
        self.messages: list[dict[str, Any]] = []
        self.http = HttpEndpoint(self._respond)

    @property
    def url(self) -> str:
        return f"{self.http.base}/cgi-bin/webhook/send?key={self.key}"

    def _respond(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
        if query.get("key") != [self.key]:
            return 200, {"errcode": 93000, "errmsg": "invalid webhook url"}
        body.pop("_headers", None)
        self.messages.append(body)
        return 200, {"errcode": 0, "errmsg": "ok"}


def aliyun_encode(value: str) -> str:
    """RFC 3986 as Aliyun's documentation says: quote_plus, then + → %20, * → %2A, %7E → ~."""
    return (
        urllib.parse.quote_plus(value, safe="")
        .replace("+", "%20")
        .replace("*", "%2A")
        .replace("%7E", "~")
    )


class AliyunSms:
    """SendSms: verifies the RPC signature, knows its approved templates and sign name."""

    def __init__(self, key_id: str, secret: str, sign_name: str, templates: set[str]) -> None:
        self.key_id, self.secret, self.sign_name = key_id, secret, sign_name
        self.templates = set(templates)
        self.sent: list[dict[str, str]] = []
        self.rate_limited = 0  # answer isv.BUSINESS_LIMIT_CONTROL this many times first
        self.http = HttpEndpoint(self._respond)

    @property
    def url(self) -> str:
        return f"{self.http.base}/"

    def signature(self, params: dict[str, str]) -> str:
        return self.signature_for("POST", params)

    def signature_for(self, method: str, params: dict[str, str]) -> str:
        canonical = "&".join(
            f"{aliyun_encode(k)}={aliyun_encode(v)}" for k, v in sorted(params.items())
        )
        to_sign = f"{method}&{aliyun_encode('/')}&{aliyun_encode(canonical)}"
        mac = hmac.new(f"{self.secret}&".encode(), to_sign.encode(), hashlib.sha1)
        return base64.b64encode(mac.digest()).decode()

    def _respond(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        body.pop("_headers", None)
        given = body.pop("Signature", "")
        params = {str(k): str(v) for k, v in body.items()}
        if params.get("AccessKeyId") != self.key_id:
            return 404, {"Code": "InvalidAccessKeyId.NotFound", "Message": "no such key"}
        if not hmac.compare_digest(given, self.signature(params)):
            return 400, {
                "Code": "SignatureDoesNotMatch",
                "Message": "Specified signature is not matched with our calculation.",
            }
        if params.get("Action") != "SendSms" or params.get("Version") != "2017-05-25":
            return 400, {"Code": "InvalidAction", "Message": "unknown action"}
        if self.rate_limited > 0:
            self.rate_limited -= 1
            return 200, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控"}
        if params.get("SignName") != self.sign_name:
            return 200, {"Code": "isv.SMS_SIGNATURE_ILLEGAL", "Message": "签名不合法"}
        if params.get("TemplateCode") not in self.templates:
            return 200, {"Code": "isv.SMS_TEMPLATE_ILLEGAL", "Message": "模板不合法"}
        self.sent.append(params)
        return 200, {"Code": "OK", "Message": "OK", "BizId": f"biz{len(self.sent)}"}


# ---- SMTP ------------------------------------------------------------------------------


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 / localhost signed by itself, and its key (PEM files)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "riverchief test smtp")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class Smtp:
    """aiosmtpd requiring STARTTLS before anything (and AUTH over TLS only)."""

    def __init__(self, folder: Path, username: str, password: str) -> None:
        self.cert, key = self_signed(folder)
        self.username, self.password = username, password
        self.received: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.answer = "250 OK"  # e.g. "451 4.3.0 try again later", "550 5.1.1 no such user"
        self.tls_seen = False
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, key)
        self.port = free_port()
        self.controller = Controller(
            self,
            hostname="127.0.0.1",
            port=self.port,
            tls_context=context,
            require_starttls=True,
            authenticator=self._auth,
            auth_require_tls=True,
            auth_required=True,
        )
        self.controller.start()

    def _auth(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        ok = (
            isinstance(data, LoginPassword)
            and data.login.decode() == self.username
            and data.password.decode() == self.password
        )
        return AuthResult(success=ok)

    async def handle_DATA(self, server: Any, session: Any, envelope: Envelope) -> str:
        if not self.answer.startswith("250"):
            return self.answer
        self.tls_seen = self.tls_seen or session.ssl is not None
        raw = envelope.content if isinstance(envelope.content, bytes) else b""
        self.received.append(message_from_bytes(raw, policy=policy.default))
        self.envelopes.append((str(envelope.mail_from), list(envelope.rcpt_tos)))
        return "250 OK"

    @property
    def url(self) -> str:
        return f"smtp://{self.username}:{self.password}@127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.controller.stop()
