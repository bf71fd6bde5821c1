"""Helpers for public-supervision tests: a cheap proof-of-work, a submit helper, photos.

BESIDE_DADU (103.6262, 29.3396) lies in 沙湾区 (511111), 56 m from 大渡河 (hand-checked in
tests/problems/conftest.py); IN_MEISHAN is on the surface of 眉山市, outside Leshan.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from service.public.pow import solve
from service.settings import Settings, get_settings

BESIDE_DADU = (103.6262, 29.3396)
IN_MEISHAN = (103.82583, 29.81763)

Submit = Callable[..., Any]


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """The process settings with a cheap challenge (8 bits: ~256 hashes) for fast tests;
    ``monkeypatch`` restores every change after the test."""
    s = get_settings()
    monkeypatch.setattr(s, "pow_difficulty", 8)
    yield s


def png(color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def submit(client: TestClient, settings: Settings) -> Submit:
    """``submit(photos=[bytes...], solve_pow=True, **fields)`` -> the POST response."""

    def post(
        photos: list[bytes] | None = None,
        solve_pow: bool = True,
        headers: dict[str, str] | None = None,
        **fields: Any,
    ) -> Any:
        lon, lat = fields.pop("point", BESIDE_DADU)
        form: dict[str, Any] = {
            "lon": str(lon),
            "lat": str(lat),
            "datum": "wgs84",
            "category": "garbage",
            "description": "河边堆了很多垃圾",
        }
        if solve_pow:
            ch = client.get("/api/v1/public/challenge").json()
            form["challenge_nonce"] = ch["nonce"]
            form["challenge_counter"] = solve(ch["nonce"], ch["difficulty"])
        form.update({k: v for k, v in fields.items() if v is not None})
        files = [
            ("photos", (f"p{i}.png", data, "image/png")) for i, data in enumerate(photos or [])
        ]
        return client.post(
            "/api/v1/public/reports", data=form, files=files or None, headers=headers or {}
        )

    return post


# The web map's live server (own database with the demo) and headless Chromium, reused for
# the report page's browser test.
from tests.browser.conftest import LiveServer, PageWatch, browser, live_server  # noqa: E402

__all__ = ["LiveServer", "PageWatch", "browser", "live_server"]
