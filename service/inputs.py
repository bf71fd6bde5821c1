"""The base of every request body (issue 14).

- ``extra="forbid"``: an unknown key is a 422 naming it (``code`` ``unknown_field``), not a
  silently ignored typo — ``{"pasword": ...}`` must not mean "generate one for me".
- ``allow_inf_nan=False``: float fields take finite numbers only (``not_finite``); JSON bodies
  are also checked as a whole by ``service.security.strictjson``.

Dates use the bounded types of ``service.bounds``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class InputModel(BaseModel):
    """Base class of request bodies (see the module docstring)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
