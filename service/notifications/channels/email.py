"""E-mail over SMTP: ``smtp://user:pass@host:587`` with STARTTLS (required: a server that
does not offer it gets nothing, not even the password), or ``smtps://`` (TLS from the
first byte, port 465). The server's certificate is verified (system CAs, or
``RIVERCHIEF_SMTP_CA_FILE`` for a private CA).

Each message has a ``Message-ID`` made from its outbox row, so a mail system that sees the
same message twice (after a retry of a lost answer) can drop the copy; messages to
citizens carry ``List-Unsubscribe`` (RFC 2369) with one-click unsubscribe (RFC 8058).
SMTP 4xx answers and lost connections are retried; 5xx answers are final.
"""

from __future__ import annotations

import smtplib
import ssl
import urllib.parse
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

from service.notifications.channels.base import DeliveryError
from service.notifications.messages import Message

SMTP_POLICY = policy.SMTP.clone(max_line_length=998)


@dataclass(frozen=True)
class SmtpTarget:
    implicit_tls: bool
    host: str
    port: int
    username: str
    password: str


def parse_smtp_url(url: str) -> SmtpTarget:
    """``smtp[s]://[user[:pass]@]host[:port]`` (user and password percent-decoded)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("the SMTP URL must look like smtp://user:pass@host:587 or smtps://...")
    implicit = parts.scheme == "smtps"
    return SmtpTarget(
        implicit_tls=implicit,
        host=parts.hostname,
        port=parts.port or (465 if implicit else 587),
        username=urllib.parse.unquote(parts.username or ""),
        password=urllib.parse.unquote(parts.password or ""),
    )


def build_email(message: Message, sender: str, to: str, key: str) -> EmailMessage:
    # Lines up to 998 characters (RFC 5322): a long URL header (List-Unsubscribe) is kept
    # whole instead of being turned into encoded words no mail client would follow.
    mail = EmailMessage(policy=SMTP_POLICY)
    mail["From"] = sender
    mail["To"] = to
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(localtime=False, usegmt=True)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "riverchief.invalid"
    mail["Message-ID"] = f"<{key}@{domain}>"
    if message.unsubscribe:
        mail["List-Unsubscribe"] = f"<{message.unsubscribe}>"
        mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    mail.set_content(message.text)
    return mail


@dataclass(frozen=True)
class EmailChannel:
    smtp_url: str
    sender: str
    timeout: float
    ca_file: str = ""
    kind: str = "email"

    def _context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.ca_file or None)

    def send(self, message: Message, address: str, key: str) -> str | None:
        try:
            target = parse_smtp_url(self.smtp_url)
        except ValueError as exc:
            raise DeliveryError(str(exc), retry=False) from exc
        mail = build_email(message, self.sender, address, key)
        try:
            self._deliver(target, mail, address)
        except smtplib.SMTPResponseException as exc:
            text = (
                exc.smtp_error.decode(errors="replace")
                if isinstance(exc.smtp_error, bytes)
                else str(exc.smtp_error)
            )
            raise DeliveryError(
                f"SMTP {exc.smtp_code}: {text}", retry=400 <= exc.smtp_code < 500
            ) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            detail = "; ".join(f"{r}: {c} {m!r}" for r, (c, m) in exc.recipients.items())
            raise DeliveryError(
                f"recipient refused: {detail}", retry=all(400 <= c < 500 for c in codes)
            ) from exc
        except ssl.SSLCertVerificationError as exc:
            raise DeliveryError(
                f"the SMTP server's certificate is not trusted: {exc.verify_message}", retry=False
            ) from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise DeliveryError(str(exc), retry=False) from exc
        except (smtplib.SMTPException, OSError) as exc:
            # Refused, timed out or dropped before the server's final 250: not delivered.
            raise DeliveryError(f"SMTP {target.host}:{target.port}: {exc}", retry=True) from exc
        return str(mail["Message-ID"])

    def _deliver(self, target: SmtpTarget, mail: EmailMessage, to: str) -> None:
        server: smtplib.SMTP
        if target.implicit_tls:
            server = smtplib.SMTP_SSL(
                target.host, target.port, timeout=self.timeout, context=self._context()
            )
        else:
            server = smtplib.SMTP(target.host, target.port, timeout=self.timeout)
        with server:
            server.ehlo()
            if not target.implicit_tls:
                if not server.has_extn("starttls"):
                    raise smtplib.SMTPNotSupportedError(
                        f"{target.host} offers no STARTTLS: nothing is sent in the clear"
                    )
                server.starttls(context=self._context())
                server.ehlo()
            if target.username:
                server.login(target.username, target.password)
            server.send_message(mail, from_addr=parseaddr(self.sender)[1], to_addrs=[to])
