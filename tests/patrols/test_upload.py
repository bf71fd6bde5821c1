"""Uploads: real files, idempotency, who may upload for whom, bad input as clear 4xx."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from service.geo.tracks import clean_track, parse_track
from service.patrols.service import track_length_m
from service.settings import get_settings
from tests.patrols.conftest import gpx, river_points

TRACKS = Path(__file__).resolve().parent.parent / "fixtures" / "tracks"
REAL_FILES = sorted(p.name for p in TRACKS.iterdir() if p.is_file() and p.suffix != ".md")
START = datetime(2025, 9, 2, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize("name", REAL_FILES)
def test_every_real_file_gives_a_clear_4xx(name: str, upload) -> None:
    """None of them is in Leshan: each is refused with a 4xx saying why (issue 14: a track
    wholly outside the city is not stored as a patrol covering nothing)."""
    response = upload((TRACKS / name).read_bytes(), filename=name, as_user="chief")
    assert 400 <= response.status_code < 500, response.text
    assert response.json()["detail"] and response.json()["code"]
    if name.endswith((".gpx", ".kml")) or name == "fit_wahoo_elemnt_shanghai.fit":
        assert response.json()["code"] == "outside_city", response.text


def test_real_gpx_keeps_times_and_length() -> None:
    """run_gpxtpx.gpx: 1,118 timed points of a run; length and duration from the file (read
    by the parser: the run is not in Leshan, so uploading it is refused)."""
    data = (TRACKS / "gpx11_strava_trackpointext_hr.gpx").read_bytes()
    track = clean_track(parse_track(data, "run.gpx")).track
    assert track.points > 1000 and track.format == "gpx"
    assert track.started_at is not None and track.ended_at is not None
    assert (track.ended_at - track.started_at).total_seconds() > 10 * 60
    parts = [np.array([(p.lon, p.lat, 0.0) for p in seg]) for seg in track.segments]
    assert track_length_m(parts) > 1000.0


def test_route_only_gpx_is_422(upload) -> None:
    data = (
        b'<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">'
        b'<rte><rtept lat="29.5" lon="103.7"/><rtept lat="29.6" lon="103.8"/></rte></gpx>'
    )
    response = upload(data, filename="route.gpx", as_user="chief")
    assert response.status_code == 422
    assert "route" in response.json()["detail"].lower()


def test_untimed_track_needs_a_date_and_is_invalid(db, upload, chief_of) -> None:
    track = river_points(db, "岷江", 0.30, 0.35, start=START)
    data = gpx([track], times=False)
    missing = upload(data, as_user="chief")
    assert missing.status_code == 422
    assert "date" in missing.json()["detail"]
    future = upload(data, as_user="chief", date="2099-01-01")
    assert future.status_code == 422 and "future" in future.json()["detail"]
    body = upload(data, as_user="chief", date="2025-09-02").json()
    assert body["date"] == "2025-09-02" and body["started_at"] is None
    assert body["valid"] is False and body["invalid_reasons"] == ["no_times"]
    assert body["rivers"][0]["name"] == "岷江"


def test_same_client_id_returns_the_existing_patrol(db, upload, chief_of) -> None:
    one = gpx([river_points(db, "岷江", 0.30, 0.32, start=START)])
    two = gpx([river_points(db, "岷江", 0.40, 0.42, start=START, seed=2)])
    first = upload(one, as_user="chief", client_id="phone-1:42")
    assert first.status_code == 201
    second = upload(two, as_user="chief", client_id="phone-1:42")
    assert second.status_code == 200 and second.json()["id"] == first.json()["id"]


def test_who_may_upload_for_whom(db, upload, chief_of) -> None:
    data = gpx([river_points(db, "青衣江", 0.30, 0.32, start=START)])
    qingyi, minjiang = chief_of("青衣江"), chief_of("岷江")
    # chief: only themselves; patrol: only their linked official
    assert upload(data, as_user="chief", chief_id=qingyi).status_code == 403
    assert upload(data, as_user="patrol", chief_id=qingyi).status_code == 403
    # liaison 市水务局 serves 岷江 only
    assert upload(data, as_user="liaison", chief_id=qingyi).status_code == 403
    assert upload(data, as_user="liaison", chief_id=minjiang).status_code == 201
    # office: any chief, but must say which
    assert upload(data, as_user="office").status_code == 422
    assert upload(data, as_user="office", chief_id=qingyi).status_code == 201
    assert upload(data, as_user="county", chief_id=qingyi).status_code == 403
    assert upload(data, as_user="meishan", chief_id=qingyi).status_code == 403
    assert upload(data, as_user="office", chief_id=999999).status_code == 422


def test_bad_inputs_are_clear_4xx(upload, client, auth_headers) -> None:
    assert upload(b"\x00\x01garbage", filename="x.bin", as_user="chief").status_code in (
        400,
        415,
        422,
    )
    assert upload(b"<gpx", filename="x.gpx", as_user="chief").status_code in (400, 422)
    bad_datum = upload(b"<gpx/>", as_user="chief", datum="bd09")
    assert bad_datum.status_code == 422 and "datum" in bad_datum.json()["detail"]
    bad_date = upload(b"<gpx/>", as_user="chief", date="30/06/2025")
    assert bad_date.status_code == 422
    not_form = client.post(
        "/api/v1/patrols",
        content=b"{}",
        headers={**auth_headers("chief"), "Content-Type": "application/json"},
    )
    assert not_form.status_code == 415
    no_file = client.post(
        "/api/v1/patrols",
        data={"notes": "x"},
        files={"other": ("a", b"b")},
        headers=auth_headers("chief"),
    )
    assert no_file.status_code == 422
    assert client.post("/api/v1/patrols", files={"file": ("a.gpx", b"x")}).status_code == 401


def test_size_limit_is_413(upload, monkeypatch) -> None:
    monkeypatch.setattr(get_settings(), "track_max_bytes", 100_000)
    response = upload(b"<gpx>" + b" " * 200_000 + b"</gpx>", as_user="chief")
    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]
    # just under the limit is read (and then judged as a file)
    assert upload(b"<gpx>" + b" " * 90_000 + b"</gpx>", as_user="chief").status_code != 413


def test_size_limit_is_enforced_while_streaming(database_url, monkeypatch) -> None:
    """A chunked body (no Content-Length) is refused once past the limit, not after reading.

    Driven through the ASGI receive channel directly: TestClient buffers a whole body first.
    """
    import asyncio

    from starlette.requests import Request

    from service.errors import PayloadTooLarge
    from service.patrols.upload import read_patrol_upload

    monkeypatch.setattr(get_settings(), "track_max_bytes", 100_000)
    head = (
        b'--xx\r\nContent-Disposition: form-data; name="file"; filename="a.gpx"\r\n'
        b"Content-Type: application/gpx+xml\r\n\r\n<gpx>"
    )
    chunks = [head] + [b" " * 65536] * 1000  # 64 MB if nobody stopped reading
    received = []

    async def receive() -> dict:
        received.append(1)
        return {
            "type": "http.request",
            "body": chunks[len(received) - 1],
            "more_body": len(received) < len(chunks),
        }

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/v1/patrols",
        "headers": [(b"content-type", b"multipart/form-data; boundary=xx")],
    }
    with pytest.raises(PayloadTooLarge):
        asyncio.run(read_patrol_upload(Request(scope, receive)))
    assert len(received) <= 4  # 100 KB + 64 KB of form overhead: stopped at the third chunk


def test_unknown_patrol_is_404(client, auth_headers) -> None:
    assert client.get("/api/v1/patrols/987654", headers=auth_headers("office")).status_code == 404
    assert (
        client.post(
            "/api/v1/patrols/987654/void", json={"reason": "x y"}, headers=auth_headers("office")
        ).status_code
        == 404
    )
