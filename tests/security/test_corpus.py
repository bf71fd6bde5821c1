"""The hostile corpus against the track parser directly and against the upload endpoints.

Each file must be refused with a 4xx (a domain error mapped to 400/413/415/422), without
expanding an entity (a DTD is refused before any entity exists), with bounded memory
(tracemalloc for Python allocations, the process's peak RSS for libxml2's), leaving no row
and no file behind, and with the server healthy afterwards.
"""

from __future__ import annotations

import os
import resource
import threading
import tracemalloc
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from service.errors import DomainError
from service.geo.tracks import clean_track, parse_track
from service.main import _status_for
from tests.security.hostile import corpus_files, large_files, media_files, row_counts
from tests.support import Headers

CORPUS = corpus_files()
TRACKS = {k: v for k, v in CORPUS.items() if v[1] == "track"}
PHOTOS = {k: v for k, v in CORPUS.items() if v[1] == "photo"}
MB = 1 << 20


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str, tuple[int, ...]]]:
    return large_files(tmp_path_factory.mktemp("hostile-large"))


def test_corpus_is_big_enough(large: dict[str, object]) -> None:
    assert len(CORPUS) + len(large) >= 50
    assert all(path.exists() for path, _, _ in CORPUS.values())


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _parse_and_measure(data: bytes, name: str) -> tuple[DomainError, int]:
    tracemalloc.start()
    try:
        clean_track(parse_track(data, name))  # as the upload does: parse, then clean
    except DomainError as exc:
        _, peak = tracemalloc.get_traced_memory()
        return exc, peak
    finally:
        tracemalloc.stop()
    raise AssertionError(f"{name} was accepted by the track parser")


def test_track_parser_refuses_every_file(
    large: dict[str, tuple[Path, str, tuple[int, ...]]],
) -> None:
    files = {**TRACKS, **{k: v for k, v in large.items() if v[1] == "track"}}
    rss_before = _peak_rss_mb()
    for name, (path, _, codes) in files.items():
        data = path.read_bytes()
        exc, peak = _parse_and_measure(data, name)
        status = _status_for(exc)
        assert status in codes, f"{name}: {status} {exc.message}"
        assert exc.message, name
        # Python-side memory stays within a small multiple of the input.
        assert peak < 4 * len(data) + 16 * MB, f"{name}: {peak / MB:.1f} MiB"
        if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:4096]:
            # Refused at the DTD, before any entity could be declared, expanded or fetched.
            assert exc.code == "xml_dtd_forbidden", f"{name}: {exc.code}"
            assert "root:" not in exc.message and "lol" not in exc.message
    # Native memory too: a single expanded billion-laughs would add gigabytes.
    assert _peak_rss_mb() - rss_before < 200


def _upload_track(client: TestClient, headers: dict[str, str], name: str, data: bytes) -> object:
    return client.post(
        "/api/v1/patrols",
        files={"file": (name, data, "application/octet-stream")},
        data={"date": "2025-06-01", "client_id": f"hostile-{name}"},
        headers=headers,
    )


def test_patrol_upload_refuses_every_file(
    client: TestClient,
    db: Session,
    auth_headers: Headers,
    large: dict[str, tuple[Path, str, tuple[int, ...]]],
) -> None:
    files = {**TRACKS, **{k: v for k, v in large.items() if v[1] == "track"}}
    headers = auth_headers("chief")
    rows, media = row_counts(db), media_files()
    failures = []
    for name, (path, _, codes) in files.items():
        response = _upload_track(client, headers, name, path.read_bytes())
        body = response.json()  # type: ignore[attr-defined]
        status = response.status_code  # type: ignore[attr-defined]
        if status not in codes or not body.get("detail"):
            failures.append(f"{name}: {status} {body}")
    assert not failures, failures
    assert row_counts(db) == rows, "a refused upload left rows behind"
    assert media_files() == media, "a refused upload left files behind"
    assert client.get("/healthz").status_code == 200


@pytest.fixture
def problem_id(client: TestClient, auth_headers: Headers) -> int:
    response = client.post(
        "/api/v1/problems",
        json={
            "lon": 103.6262,
            "lat": 29.3396,
            "datum": "wgs84",
            "category": "garbage",
            "description": "岸边垃圾",
            "observed_at": "2026-03-02T10:30:00+08:00",
        },
        headers=auth_headers("office"),
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_photo_upload_refuses_every_file(
    client: TestClient,
    db: Session,
    auth_headers: Headers,
    problem_id: int,
    large: dict[str, tuple[Path, str, tuple[int, ...]]],
) -> None:
    files = {**PHOTOS, **{k: v for k, v in large.items() if v[1] == "photo"}}
    headers = auth_headers("office")
    rows, media = row_counts(db), media_files()
    failures = []
    for name, (path, _, codes) in files.items():
        claimed = "image/png" if name.endswith(".png") else "image/jpeg"
        tracemalloc.start()
        response = client.post(
            f"/api/v1/problems/{problem_id}/photos",
            files={"file": (name, path.read_bytes(), claimed)},
            headers=headers,
        )
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        if response.status_code not in codes or not response.json().get("detail"):
            failures.append(f"{name}: {response.status_code} {response.text[:200]}")
        if peak > 64 * MB:  # a decoded 400-Mpx bomb would be 400 MB
            failures.append(f"{name}: peak {peak / MB:.0f} MiB")
    assert not failures, failures
    assert row_counts(db) == rows
    assert media_files() == media
    assert client.get("/healthz").status_code == 200


def test_external_entity_is_never_opened_over_http(
    client: TestClient, auth_headers: Headers, tmp_path: Path
) -> None:
    """A FIFO without a writer blocks whoever opens it: a parser that tried to read the
    entity would hang here instead of answering."""
    fifo = tmp_path / "entity.fifo"
    os.mkfifo(fifo)
    data = (
        b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x SYSTEM "file://'
        + str(fifo).encode()
        + b'">]><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>&x;'
        b'</name><trkseg><trkpt lat="29.5" lon="103.7"/></trkseg></trk></gpx>'
    )
    outcome: list[int] = []
    headers = auth_headers("chief")
    worker = threading.Thread(
        target=lambda: outcome.append(
            _upload_track(client, headers, "xxe.gpx", data).status_code  # type: ignore[attr-defined]
        ),
        daemon=True,
    )
    worker.start()
    worker.join(timeout=30)
    if worker.is_alive():
        with open(fifo, "wb"):
            pass
        pytest.fail("the server opened the external entity")
    assert outcome == [400]
