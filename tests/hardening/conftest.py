"""Helpers of the issue-14 tests (hostile input, races, abuse): requests, images, live servers.

Each test module covers one numbered class of the issue; each test fails on the code the
issue started from (how is said in its docstring) and passes now.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from service.settings import Settings, get_settings

#: 沙湾区, 56 m from 大渡河 (tests/problems/conftest.py); on the surface of 眉山市.
BESIDE_DADU = (103.6262, 29.3396)
IN_MEISHAN = (103.82583, 29.81763)
FAR_DATES = (
    "9999-12-31",
    "0001-01-01",
)
FAR_TIMES = (
    "0001-01-01T00:00:00",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00-14:00",
    "9999-12-31T23:59:59",
    "9999-12-31T23:59:59+14:00",
    "9999-12-31T23:59:59-14:00",
)

Headers = Callable[[str], dict[str, str]]


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """The process settings, a cheap challenge (8 bits); ``monkeypatch`` undoes changes."""
    s = get_settings()
    monkeypatch.setattr(s, "pow_difficulty", 8)
    yield s


def png(size: tuple[int, int] = (64, 48), color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def declared_png(width: int, height: int, seed: int = 0) -> bytes:
    """An RGB PNG of ``width`` x ``height`` black pixels, written without ever holding them:
    the IDAT is zeros deflated a megabyte at a time (8,940 x 8,940 is ~240 MB decoded, a few
    hundred kB on the wire). ``seed`` makes files of equal size differ."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    packer = zlib.compressobj(9)
    row = width * 3 + 1
    remaining = row * height
    parts = [packer.compress(bytes([0, seed % 256]))]  # filter byte, one non-zero sample
    remaining -= 2
    block = b"\0" * (1 << 20)
    while remaining > 0:
        take = min(remaining, len(block))
        parts.append(packer.compress(block[:take]))
        remaining -= take
    parts.append(packer.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", b"".join(parts))
        + chunk(b"IEND", b"")
    )


def header_only_png(width: int, height: int) -> bytes:
    """A PNG whose header declares ``width`` x ``height`` but whose data stops at once: what
    a bomb looks like to a server that reads headers only."""
    full = declared_png(1, 1)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    crc = zlib.crc32(b"IHDR" + ihdr) & 0xFFFFFFFF
    return full[:8] + struct.pack(">I", 13) + b"IHDR" + ihdr + struct.pack(">I", crc) + full[33:]


@pytest.fixture(scope="session")
def png_80mpx(tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    """Three different 8,940 x 8,940 PNGs (the penetration test's photos), made once."""
    folder: Path = tmp_path_factory.mktemp("bigpng")
    out = []
    for seed in range(3):
        path = folder / f"{seed}.png"
        if not path.exists():
            path.write_bytes(declared_png(8940, 8940, seed + 1))
        out.append(path.read_bytes())
    return out


def jpeg_with_exif_time(when: str) -> bytes:
    """A small JPEG whose EXIF DateTimeOriginal is ``when`` (``YYYY:MM:DD HH:MM:SS``)."""
    image = Image.new("RGB", (64, 48), (10, 120, 200))
    exif = Image.Exif()
    exif.get_ifd(0x8769)[36867] = when
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def count(db: Session, table: str) -> int:
    return int(db.scalar(select(func.count()).select_from(text(table))) or 0)


@pytest.fixture
def report_problem(client: TestClient, auth_headers: Headers) -> Callable[..., Any]:
    """``report_problem(as_="patrol", **fields)`` -> the response of POST /api/v1/problems."""

    def post(as_: str = "patrol", **fields: Any) -> Any:
        lon, lat = fields.pop("point", BESIDE_DADU)
        body = {
            "lon": lon,
            "lat": lat,
            "category": "garbage",
            "description": "岸边堆放生活垃圾",
            "observed_at": "2026-03-02T10:30:00+08:00",
            **fields,
        }
        return client.post("/api/v1/problems", json=body, headers=auth_headers(as_))

    return post


@pytest.fixture
def submit_report(client: TestClient, settings: Settings) -> Callable[..., Any]:
    """``submit_report(photos=[bytes], point=(lon, lat), challenge=(nonce, counter))``."""
    from service.public.pow import solve

    def post(
        photos: list[bytes] | None = None,
        challenge: tuple[str, str] | None = None,
        **fields: Any,
    ) -> Any:
        lon, lat = fields.pop("point", BESIDE_DADU)
        if challenge is None:
            ch = client.get("/api/v1/public/challenge").json()
            challenge = (ch["nonce"], solve(ch["nonce"], ch["difficulty"]))
        form = {
            "lon": str(lon),
            "lat": str(lat),
            "category": "garbage",
            "description": "河边堆了很多垃圾",
            "challenge_nonce": challenge[0],
            "challenge_counter": challenge[1],
            **fields,
        }
        files = [("photos", (f"p{i}.png", d, "image/png")) for i, d in enumerate(photos or [])]
        return client.post("/api/v1/public/reports", data=form, files=files or None)

    return post


@pytest.fixture
def committed_cleanup(engine: Engine) -> Iterator[None]:
    """For tests against a live server (their writes are committed): afterwards remove the
    rate-limit slots, challenges, public reports and audit rows they left."""
    with engine.connect() as conn:
        audit_max = conn.execute(text("SELECT coalesce(max(id), 0) FROM audit_log")).scalar_one()
        report_max = conn.execute(
            text("SELECT coalesce(max(id), 0) FROM public_report")
        ).scalar_one()
    yield
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM rate_limit_slot"))
        conn.execute(text("DELETE FROM pow_challenge"))
        conn.execute(
            text(
                "DELETE FROM workflow_event WHERE entity_type = 'public_report' AND entity_id > :m"
            ),
            {"m": report_max},
        )
        conn.execute(text("DELETE FROM public_report WHERE id > :m"), {"m": report_max})
        conn.execute(text("DELETE FROM audit_log WHERE id > :m"), {"m": audit_max})
