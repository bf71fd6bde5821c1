"""Photos: sniffed by magic bytes, size-limited, EXIF GPS read, thumbnails; a refused upload
leaves neither a file nor a row."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path

from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.problems.models import ProblemPhoto
from service.settings import get_settings
from tests.problems.conftest import Report
from tests.support import Headers


def _dms(value: float) -> tuple[Fraction, Fraction, Fraction]:
    d = int(value)
    m = int((value - d) * 60)
    s = round(((value - d) * 60 - m) * 60, 4)
    return Fraction(d), Fraction(m), Fraction(s).limit_denominator(10000)


def jpeg(size: tuple[int, int] = (640, 480), gps: tuple[float, float] | None = None) -> bytes:
    image = Image.new("RGB", size, (40, 120, 160))
    exif = Image.Exif()
    if gps is not None:
        lon, lat = gps
        exif[0x8825] = {1: "N", 2: _dms(lat), 3: "E", 4: _dms(lon)}
        exif[0x8769] = {36867: "2026:03:02 10:31:00"}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=85)
    return out.getvalue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (100, 50), (255, 0, 0, 128)).save(out, "PNG")
    return out.getvalue()


def _files(problem_id: int) -> list[Path]:
    folder = get_settings().media_dir / "problems" / str(problem_id)
    return sorted(folder.glob("*")) if folder.exists() else []


def _upload(
    client: TestClient,
    headers: dict[str, str],
    pid: int,
    data: bytes,
    name: str = "p.jpg",
    ctype: str = "image/jpeg",
):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/problems/{pid}/photos", files={"file": (name, data, ctype)}, headers=headers
    )


def test_jpeg_with_gps_is_stored_with_thumbnail_and_position(
    client: TestClient, report: Report, auth_headers: Headers
) -> None:
    pid = report().json()["id"]
    # EXIF 0.0003 deg north of the problem point: 33.3 m.
    r = _upload(client, auth_headers("patrol"), pid, jpeg(gps=(103.6262, 29.3399)))
    assert r.status_code == 201, r.text
    photo = r.json()
    assert (photo["content_type"], photo["width"], photo["height"]) == ("image/jpeg", 640, 480)
    assert abs(photo["exif_lon"] - 103.6262) < 1e-5 and abs(photo["exif_lat"] - 29.3399) < 1e-5
    assert 32.5 < photo["exif_distance_m"] < 34.0
    taken = datetime.fromisoformat(photo["exif_taken_at"])
    assert taken == datetime(2026, 3, 2, 2, 31, tzinfo=UTC)  # EXIF 10:31 read as Beijing time
    assert photo["kind"] == "report"
    assert len(_files(pid)) == 2
    thumb = client.get(photo["thumbnail_url"], headers=auth_headers("office"))
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"
    assert max(Image.open(io.BytesIO(thumb.content)).size) == 320
    full = client.get(photo["url"], headers=auth_headers("county"))
    assert full.status_code == 200 and full.content[:3] == b"\xff\xd8\xff"
    # The public and neighbouring cities never get photos.
    assert client.get(photo["url"]).status_code == 401
    assert client.get(photo["url"], headers=auth_headers("meishan")).status_code == 403
    detail = client.get(f"/api/v1/problems/{pid}", headers=auth_headers("office")).json()
    assert [p["id"] for p in detail["photos"]] == [photo["id"]]


def test_png_without_exif_and_evidence_goes_with_rectified(
    client: TestClient, report: Report, act: Report, auth_headers: Headers
) -> None:
    pid = report().json()["id"]
    act(pid, "assign", assignee_county="511111")
    act(pid, "start", as_="county")
    r = _upload(client, auth_headers("county"), pid, png(), "e.png", "image/png")
    assert r.status_code == 201, r.text
    assert r.json()["exif_lon"] is None and r.json()["kind"] == "evidence"
    done = act(pid, "rectified", as_="county", note="已拆除").json()
    assert done["history"][-1]["data"] == {"photo_ids": [r.json()["id"]]}
    assert done["photos"][0]["event_seq"] == done["history"][-1]["seq"]


def test_refused_uploads_leave_no_file_and_no_row(
    client: TestClient, report: Report, auth_headers: Headers, db: Session
) -> None:
    pid = report().json()["id"]
    office = auth_headers("office")
    settings = get_settings()

    def rows() -> int:
        return int(db.scalar(select(func.count()).select_from(ProblemPhoto)) or 0)

    before = rows()
    r = _upload(client, office, pid, b"%PDF-1.7 not an image", "x.jpg")
    assert r.status_code == 415 and "not a JPEG or PNG" in r.json()["detail"]
    r = _upload(client, office, pid, jpeg()[:400])  # JPEG magic, truncated
    assert r.status_code == 422
    big = b"\xff\xd8\xff" + b"\0" * settings.photo_max_bytes
    r = _upload(client, office, pid, big)
    assert r.status_code == 413
    assert rows() == before and _files(pid) == []
    # Nobody outside the problem's scope may add photos.
    assert _upload(client, auth_headers("meishan"), pid, jpeg()).status_code == 403
    assert _upload(client, auth_headers("office"), 99999999, jpeg()).status_code == 404
    assert rows() == before and _files(pid) == []


def test_no_photos_once_closed(
    client: TestClient, report: Report, act: Report, auth_headers: Headers
) -> None:
    pid = report().json()["id"]
    act(pid, "close_not_fixed", note="误报")
    assert _upload(client, auth_headers("office"), pid, jpeg()).status_code == 409
    assert _files(pid) == []
