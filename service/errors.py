"""Domain exceptions.

Only ``service.main`` knows HTTP status codes: it maps each class here to one status in a
single table, so domain code raises meaning ("not found", "not allowed") and never a status.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base class: ``message`` is shown to the caller, ``detail`` adds machine-readable context."""

    def __init__(self, message: str, **detail: Any) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail


class NotFound(DomainError):
    """A resource that does not exist (404)."""


class NotAuthenticated(DomainError):
    """No valid credentials were given (401)."""


class Forbidden(DomainError):
    """The caller is known but may not do this (403)."""


class Conflict(DomainError):
    """The request conflicts with the current state, e.g. an impossible transition (409)."""


class InvalidInput(DomainError):
    """Input that parses but makes no sense: a point in the sea, a route-only GPX (422)."""


class PayloadTooLarge(DomainError):
    """An upload past its configured size limit (413)."""


class UnsupportedMedia(DomainError):
    """An upload of a type we do not read (415)."""


class BadRequest(DomainError):
    """Malformed input that cannot be parsed at all: broken XML, a truncated zip (400)."""


class TooManyRequests(DomainError):
    """A rate limit was hit (429)."""
