"""Secrets of office-configured channels, encrypted at rest.

The key is derived from ``RIVERCHIEF_SECRET_KEY`` with HKDF-SHA256 (its own ``info`` label,
so it is never the token-signing key itself); AES-256-GCM with a random 96-bit nonce per
value, and the channel kind as associated data so a ciphertext cannot be moved to another
channel's row. Changing the secret key makes the stored secrets unreadable: the channel then
reports that its secrets must be entered again (nothing is guessed or shown).
"""

from __future__ import annotations

import base64
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from service.settings import get_settings

VERSION = "v1"
INFO = b"riverchief notification channel secrets v1"


class SecretUnreadable(Exception):
    """The stored secret cannot be decrypted (the secret key changed, or the row was altered)."""


def _key() -> bytes:
    secret = get_settings().secret_key.encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INFO).derive(secret)


def encrypt(values: dict[str, str], kind: str) -> str:
    """``v1:<base64(nonce + ciphertext)>`` of the JSON of ``values``, bound to ``kind``."""
    nonce = os.urandom(12)
    sealed = AESGCM(_key()).encrypt(nonce, json.dumps(values).encode(), kind.encode())
    return f"{VERSION}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str, kind: str) -> dict[str, str]:
    version, _, body = token.partition(":")
    if version != VERSION:
        raise SecretUnreadable(f"unknown secret format {version!r}")
    raw = base64.b64decode(body)
    try:
        plain = AESGCM(_key()).decrypt(raw[:12], raw[12:], kind.encode())
    except InvalidTag as exc:
        raise SecretUnreadable(
            "the stored secret cannot be decrypted (was RIVERCHIEF_SECRET_KEY changed?); "
            "enter the channel's secrets again"
        ) from exc
    values = json.loads(plain)
    return {str(k): str(v) for k, v in values.items()}
