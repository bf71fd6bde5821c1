"""Class 1: every date and time is bounded before anything is written or converted.

On the code issue 14 started from: far ``from``/``to``/``datetime`` parameters overflowed
(500, raised by the test client), ``observed_at`` 0001-01-01 was committed and then poisoned
every list (422 for everyone), a year-1 EXIF date did the same to one problem, GPX times in
year 9999 overflowed, and governance dates such as ``held_on`` 9999-12-31 were stored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from service.bounds import LATEST_DAY, moment_problem, to_utc
from service.db import SessionDep, get_session
from service.main import create_app
from tests.hardening.conftest import FAR_DATES, FAR_TIMES, Headers, count, jpeg_with_exif_time
from tests.patrols.conftest import gpx, river_points

#: (path, role or None, the date parameters it takes)
DATE_PARAMS: list[tuple[str, str | None, tuple[str, ...]]] = [
    ("/api/v1/problems.geojson", None, ("from", "to")),
    ("/api/v1/problems", "office", ("from", "to")),
    ("/api/v1/cross-boundary/511400", "office", ("from", "to")),
    ("/api/v1/cross-boundary/511400/brief", "office", ("from", "to")),
    ("/api/v1/audit", "office", ("from", "to")),
    ("/api/v1/coverage", "office", ("from", "to")),
    ("/api/v1/coverage/segments.geojson", "office", ("from", "to")),
    ("/api/v1/patrols", "office", ("from", "to")),
    ("/api/v1/public/stats", None, ("from", "to")),
    ("/api/v1/meetings", "office", ("from", "to")),
    ("/api/v1/rivers", None, ("on",)),
    ("/tiles/segments/10/812/426.pbf", None, ("from", "to")),
]


@pytest.mark.parametrize(("path", "role", "names"), DATE_PARAMS)
def test_far_date_parameters_are_422_naming_the_parameter(
    client: TestClient, auth_headers: Headers, path: str, role: str | None, names: tuple[str, ...]
) -> None:
    headers = auth_headers(role) if role else {}
    for name in names:
        for value in FAR_DATES:
            r = client.get(path, params={name: value}, headers=headers)
            assert r.status_code == 422, (path, name, value, r.text)
            body = r.json()
            assert body["code"] == "date_out_of_range" and body["field"] == name, body
            assert isinstance(body["detail"], str) and value in body["detail"]


@pytest.mark.parametrize("value", [*FAR_DATES, *FAR_TIMES, "../9999-12-31", "0001-01-01/.."])
def test_ogc_datetime_far_values_are_400_not_an_overflow(client: TestClient, value: str) -> None:
    """OGC API answers invalid parameters with 400 (its rule), never 500."""
    r = client.get("/ogc/collections/problems/items", params={"datetime": value})
    assert r.status_code == 400, r.text
    assert r.json()["field"] == "datetime"


@pytest.mark.parametrize("observed_at", (*FAR_TIMES, "1999-12-31T15:59:59Z"))
def test_observed_at_out_of_range_leaves_no_row_and_lists_still_answer(
    client: TestClient,
    db: Session,
    auth_headers: Headers,
    report_problem: Callable[..., Any],
    observed_at: str,
) -> None:
    before = count(db, "problem")
    r = report_problem(observed_at=observed_at)
    assert r.status_code == 422, r.text
    assert r.json()["field"] == "observed_at" and r.json()["code"] == "date_out_of_range"
    assert count(db, "problem") == before
    assert client.get("/api/v1/problems", headers=auth_headers("office")).status_code == 200
    assert client.get("/api/v1/problems.geojson").status_code == 200
    assert client.get("/api/v1/me/todo", headers=auth_headers("patrol")).status_code == 200


def test_naive_times_are_asia_shanghai_and_the_first_plausible_moment_is_accepted(
    report_problem: Callable[..., Any],
) -> None:
    # 2000-01-01 00:00 in Shanghai is 1999-12-31 16:00 UTC: +08:00, never the LMT +08:05:43.
    assert to_utc(datetime(2000, 1, 1)) == datetime(1999, 12, 31, 16, 0, tzinfo=UTC)
    assert moment_problem(datetime(1999, 12, 31, 23, 59)) is not None
    assert moment_problem(datetime(1901, 1, 1)) is not None  # refused before localising
    r = report_problem(observed_at="2000-01-01T00:00:00")
    assert r.status_code == 201, r.text
    assert r.json()["observed_at"] in ("1999-12-31T16:00:00Z", "1999-12-31T16:00:00+00:00")


def test_a_photo_with_a_year_one_exif_date_is_kept_without_it(
    client: TestClient, auth_headers: Headers, report_problem: Callable[..., Any]
) -> None:
    problem = report_problem().json()["id"]
    for when in ("0001:01:01 00:00:00", "9999:12:31 23:59:59", "1901:01:01 00:00:00"):
        r = client.post(
            f"/api/v1/problems/{problem}/photos",
            files={"file": ("p.jpg", jpeg_with_exif_time(when), "image/jpeg")},
            headers=auth_headers("patrol"),
        )
        assert r.status_code == 201, r.text
        assert r.json()["exif_taken_at"] is None
    kept = client.post(
        f"/api/v1/problems/{problem}/photos",
        files={"file": ("p.jpg", jpeg_with_exif_time("2025:05:01 09:30:00"), "image/jpeg")},
        headers=auth_headers("patrol"),
    )
    assert kept.json()["exif_taken_at"].startswith("2025-05-01T01:30:00")
    detail = client.get(f"/api/v1/problems/{problem}", headers=auth_headers("office"))
    assert detail.status_code == 200 and len(detail.json()["photos"]) == 4
    assert client.get("/api/v1/problems", headers=auth_headers("office")).status_code == 200


def test_gpx_times_in_year_9999_and_the_form_date_are_refused(
    db: Session, client: TestClient, auth_headers: Headers
) -> None:
    start = datetime(9999, 12, 31, 1, 0, tzinfo=UTC)
    track = gpx([river_points(db, "岷江", 0.30, 0.32, start=start)])
    before = count(db, "patrol")
    r = client.post(
        "/api/v1/patrols",
        files={"file": ("t.gpx", track, "application/gpx+xml")},
        headers=auth_headers("chief"),
    )
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "track_time_out_of_range" and r.json()["field"] == "file"
    untimed = gpx([river_points(db, "岷江", 0.30, 0.32, start=start)], times=False)
    for day in FAR_DATES:
        r = client.post(
            "/api/v1/patrols",
            files={"file": ("u.gpx", untimed, "application/gpx+xml")},
            data={"date": day},
            headers=auth_headers("chief"),
        )
        assert r.status_code == 422 and r.json()["field"] == "date", r.text
    assert count(db, "patrol") == before


@pytest.mark.parametrize("day", FAR_DATES)
def test_governance_and_roster_dates_are_bounded(
    client: TestClient, db: Session, auth_headers: Headers, day: str
) -> None:
    office = auth_headers("office")
    before = count(db, "meeting") + count(db, "inspection") + count(db, "assignment")
    meeting = {
        "kind": "office",
        "title": "主任会议",
        "held_on": day,
        "chair_official_id": 1,
    }
    r = client.post("/api/v1/meetings", json=meeting, headers=office)
    assert r.status_code == 422 and r.json()["field"] == "held_on", r.text
    r = client.post(
        "/api/v1/inspections",
        json={"inspected_on": day, "title": "督查", "county_code": "511111"},
        headers=office,
    )
    assert r.status_code == 422 and r.json()["field"] == "inspected_on", r.text
    r = client.post(
        "/api/v1/assignments",
        json={"official_id": 1, "river_id": 1, "role": "river_chief", "valid_from": day},
        headers=office,
    )
    assert r.status_code == 422 and r.json()["field"] == "valid_from", r.text
    assert count(db, "meeting") + count(db, "inspection") + count(db, "assignment") == before


def test_due_dates_and_observations_have_their_own_upper_bounds(
    report_problem: Callable[..., Any], client: TestClient, auth_headers: Headers
) -> None:
    problem = report_problem().json()["id"]
    late = (LATEST_DAY + timedelta(days=1)).isoformat()
    r = client.post(
        f"/api/v1/problems/{problem}/transitions",
        json={"action": "assign", "assignee_county": "511111", "due_date": late},
        headers=auth_headers("office"),
    )
    assert r.status_code == 422 and r.json()["field"] == "due_date", r.text
    tomorrow_plus = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    r = report_problem(observed_at=tomorrow_plus)
    assert r.status_code == 422 and "future" in r.json()["detail"]


def test_a_request_whose_write_was_committed_never_gets_a_4xx(db: Session) -> None:
    """A value the database refuses is the caller's 422, unless this request already
    committed a write: then the change was kept and a 4xx would say otherwise (500)."""
    app = create_app()
    app.dependency_overrides[get_session] = lambda: db

    @app.post("/h14-write-then-fail")
    def write_then_fail(session: SessionDep, commit: bool = True) -> None:
        session.execute(
            text(
                "INSERT INTO pow_challenge (nonce, difficulty, expires_at) "
                "VALUES (:nonce, 1, now())"
            ),
            {"nonce": f"h14-read-back-{commit}"},
        )
        if commit:
            session.commit()
        session.execute(text("SELECT CAST('not a number' AS integer)"))

    client = TestClient(app, raise_server_exceptions=False)
    kept = client.post("/h14-write-then-fail")
    assert kept.status_code == 500, kept.text and kept.json()["code"] == "unreadable_after_write"
    db.rollback()
    refused = client.post("/h14-write-then-fail", params={"commit": "false"})
    assert refused.status_code == 422 and refused.json()["code"] == "out_of_range"
