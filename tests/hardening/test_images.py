"""Class 3: pixel counts from the header, limits per photo and per request, cheap checks first.

On the code issue 14 started from: a public report's photos were fully decoded before the
point was checked (an 8,940 x 8,940 PNG, 80 Mpx, was under the 80-Mpx limit: ~240 MB decoded
for a 250 kB upload, then the point outside Leshan was refused); there was no per-request
limit and no setting for either. Here decoding is watched: ``ImageFile.load`` counts calls.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PIL import ImageFile
from sqlalchemy.orm import Session

from service.settings import Settings
from tests.hardening.conftest import (
    IN_MEISHAN,
    Headers,
    count,
    header_only_png,
    png,
)


@pytest.fixture
def decodes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many images were decoded (pixels loaded) during the test."""
    calls: list[int] = []
    original = ImageFile.ImageFile.load

    def counted(self: ImageFile.ImageFile) -> Any:
        calls.append(self.width * self.height)
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", counted)
    return calls


def test_the_penetration_tests_report_is_refused_before_any_decoding(
    submit_report: Callable[..., Any], db: Session, png_80mpx: list[bytes], decodes: list[int]
) -> None:
    """Three 8,940 x 8,940 PNGs outside Leshan: refused from the headers, nothing decoded."""
    before = count(db, "public_report")
    r = submit_report(photos=png_80mpx, point=IN_MEISHAN)
    assert r.status_code in (413, 422), r.text
    assert decodes == []
    assert count(db, "public_report") == before


def test_the_point_is_checked_before_photos_are_decoded(
    submit_report: Callable[..., Any], db: Session, decodes: list[int]
) -> None:
    r = submit_report(photos=[png(color=(1, 2, 3))], point=IN_MEISHAN)
    assert r.status_code == 422 and r.json()["code"] == "outside_city", r.text
    assert decodes == []


def test_per_photo_pixel_limit_from_the_header(
    submit_report: Callable[..., Any],
    client: Any,
    auth_headers: Headers,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    decodes: list[int],
    report_problem: Callable[..., Any],
) -> None:
    problem = report_problem().json()["id"]
    monkeypatch.setattr(settings, "photo_max_pixels", 64 * 48 - 1, raising=False)
    r = submit_report(photos=[png()])
    assert r.status_code == 422 and r.json()["code"] == "too_many_pixels", r.text
    assert r.json()["field"] == "photos" and r.json()["limit"] == 64 * 48 - 1
    r = client.post(
        f"/api/v1/problems/{problem}/photos",
        files={"file": ("p.png", png(), "image/png")},
        headers=auth_headers("patrol"),
    )
    assert r.status_code == 422 and r.json()["code"] == "too_many_pixels", r.text
    assert decodes == []


def test_per_request_pixel_limit(
    submit_report: Callable[..., Any],
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    decodes: list[int],
) -> None:
    monkeypatch.setattr(settings, "photo_request_max_pixels", 2 * 64 * 48, raising=False)
    two = [png(color=(5, 5, 5)), png(color=(6, 6, 6))]
    assert submit_report(photos=two).status_code == 201
    three = [png(color=(7, 7, 7)), png(color=(8, 8, 8)), png(color=(9, 9, 9))]
    before = len(decodes)
    r = submit_report(photos=three)
    assert r.status_code == 422 and r.json()["code"] == "too_many_pixels", r.text
    assert len(decodes) == before


def test_a_default_sized_bomb_is_refused_without_decoding(
    submit_report: Callable[..., Any], decodes: list[int]
) -> None:
    """45 Mpx is over the 40-Mpx default per photo; a billion-pixel header too."""
    for photo in (header_only_png(7500, 6000), header_only_png(40_000, 25_000)):
        r = submit_report(photos=[photo])
        assert r.status_code == 422 and r.json()["code"] == "too_many_pixels", r.text
    assert decodes == []


def test_photos_are_decoded_one_at_a_time_per_worker(settings: Settings) -> None:
    assert settings.photo_decode_concurrency == 1
    assert settings.photo_max_pixels == 40_000_000
    assert settings.photo_request_max_pixels == 80_000_000
