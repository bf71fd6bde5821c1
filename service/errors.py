"""Domain exceptions and the one shape of every error body.

Only ``service.main`` knows HTTP status codes: it maps each class here to one status in a
single table, so domain code raises meaning ("not found", "not allowed") and never a status.

Every error body is ``{"detail": "<a sentence>", "code": "<snake_case>", "field": "<name>"?,
...}``: ``detail`` is for people (English), ``code`` is stable so the UI can show its own text
per code (docs/errors.md lists them), ``field`` names the one input at fault when there is
one. Middleware that answers before the app (body limits, strict JSON, hosts) builds the same
shape with :func:`error_body`.
"""

from __future__ import annotations

from typing import Any


def error_body(detail: str, code: str, field: str | None = None, **extra: Any) -> dict[str, Any]:
    """The JSON body of an error answer (see the module docstring)."""
    body: dict[str, Any] = {"detail": detail, "code": code}
    if field is not None:
        body["field"] = field
    body.update(extra)
    return body


class DomainError(Exception):
    """Base class: ``message`` is shown to the caller, ``code`` and ``field`` say what failed
    for machines, ``detail`` adds more machine-readable context (``allowed_actions=[...]``)."""

    #: The ``code`` when the raiser names none.
    default_code = "error"

    def __init__(
        self, message: str, *, code: str | None = None, field: str | None = None, **detail: Any
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.field = field
        self.detail = detail

    def body(self) -> dict[str, Any]:
        return error_body(self.message, self.code, self.field, **self.detail)


class NotFound(DomainError):
    """A resource that does not exist (404)."""

    default_code = "not_found"


class NotAuthenticated(DomainError):
    """No valid credentials were given (401)."""

    default_code = "not_authenticated"


class Forbidden(DomainError):
    """The caller is known but may not do this (403)."""

    default_code = "forbidden"


class Conflict(DomainError):
    """The request conflicts with the current state, e.g. an impossible transition (409)."""

    default_code = "conflict"


class Gone(DomainError):
    """Something that existed and is no more: a used or expired download link (410)."""

    default_code = "gone"


class InvalidInput(DomainError):
    """Input that parses but makes no sense: a point in the sea, a route-only GPX (422)."""

    default_code = "invalid_input"


class PayloadTooLarge(DomainError):
    """An upload past its configured size limit (413)."""

    default_code = "too_large"


class UnsupportedMedia(DomainError):
    """An upload of a type we do not read (415)."""

    default_code = "unsupported_media"


class BadRequest(DomainError):
    """Malformed input that cannot be parsed at all: broken XML, a truncated zip (400)."""

    default_code = "bad_request"


class TooManyRequests(DomainError):
    """A rate limit was hit (429); ``retry_after`` seconds go into the Retry-After header."""

    default_code = "rate_limited"


class ServiceBusy(DomainError):
    """Too much work is already waiting (503); ``retry_after`` seconds as for 429."""

    default_code = "busy"


#: ``code`` of a request-validation error by the pydantic error type of its first problem
#: (FastAPI's parsing of path, query, form and JSON body); any other type is
#: ``invalid_value``. Bound checks of dates raise their own types (``service.bounds``).
VALIDATION_CODES: dict[str, str] = {
    "missing": "field_required",
    "extra_forbidden": "unknown_field",
    "json_invalid": "invalid_json",
    "json_type": "invalid_json",
    "finite_number": "not_finite",
    "date_out_of_range": "date_out_of_range",
    "datetime_out_of_range": "date_out_of_range",
    "int_parsing": "not_an_integer",
    "int_type": "not_an_integer",
    "float_parsing": "not_a_number",
    "float_type": "not_a_number",
    "date_parsing": "invalid_date",
    "date_from_datetime_parsing": "invalid_date",
    "date_from_datetime_inexact": "invalid_date",
    "datetime_parsing": "invalid_datetime",
    "datetime_from_date_parsing": "invalid_datetime",
    "literal_error": "not_allowed_value",
    "enum": "not_allowed_value",
    "string_too_long": "too_long",
    "too_long": "too_long",
    "string_too_short": "too_short",
    "too_short": "too_short",
    "greater_than": "out_of_range",
    "greater_than_equal": "out_of_range",
    "less_than": "out_of_range",
    "less_than_equal": "out_of_range",
    "string_pattern_mismatch": "invalid_format",
    "bool_parsing": "not_a_boolean",
    "value_error": "invalid_value",
    "password_or_generate": "password_or_generate",
}
