"""Patrol-duty compliance (seed §4, §6): half-years, proration, what is missing."""

from __future__ import annotations

from datetime import UTC, date, datetime

from service.officials.models import Assignment, Official
from service.patrols.compliance import compliance
from tests.patrols.conftest import gpx, official_id, river_points

# 2025-06-30 23:30 and 2025-07-01 00:10 in Asia/Shanghai (UTC+8)
LATE_JUNE = datetime(2025, 6, 30, 15, 30, tzinfo=UTC)
EARLY_JULY = datetime(2025, 6, 30, 16, 10, tzinfo=UTC)


def _row(rows: list[dict], official: int) -> dict:
    return next(r for r in rows if r["official_id"] == official)


def test_half_year_boundary_in_shanghai_time(db, upload, client, auth_headers, chief_of) -> None:
    chief = chief_of("岷江")
    for n, start in enumerate((LATE_JUNE, EARLY_JULY)):
        track = river_points(db, "岷江", 0.30, 0.32, start=start, seed=n)  # ~2.1 km, ~25 min
        body = upload(gpx([track]), as_user="chief").json()
        assert body["valid"], body["invalid_reasons"]
    dates = [p["date"] for p in client.get("/api/v1/patrols", headers=auth_headers("chief")).json()]
    assert sorted(dates) == ["2025-06-30", "2025-07-01"]
    response = client.get(
        "/api/v1/compliance", params={"year": 2025}, headers=auth_headers("county")
    )
    assert response.status_code == 200
    row = _row(response.json(), chief)
    assert (row["h1"], row["h2"], row["total"]) == (1, 1, 2)
    assert row["required_total"] == 3 and row["required_per_half"] == 1
    assert row["compliant"] is False
    assert row["missing"] == ["1 more patrol by 2025-12-31 (overdue)"]
    assert set(row) >= {
        "official_id",
        "name",
        "role",
        "required_total",
        "required_per_half",
        "h1",
        "h2",
        "total",
        "compliant",
        "missing",
    }


def test_compliant_after_third_valid_patrol_and_invalid_ones_do_not_count(
    db, upload, client, auth_headers, chief_of
) -> None:
    chief = chief_of("岷江")
    starts = [datetime(2025, m, 10, 1, 0, tzinfo=UTC) for m in (3, 8, 11)]
    for n, start in enumerate(starts):
        upload(gpx([river_points(db, "岷江", 0.40, 0.42, start=start, seed=n)]), as_user="chief")
    # an invalid one (too short: 0.5 km) in May must not count
    bad = upload(
        gpx(
            [
                river_points(
                    db, "岷江", 0.5, 0.505, start=datetime(2025, 5, 1, tzinfo=UTC), speed_kmh=2
                )
            ]
        ),
        as_user="chief",
    ).json()
    assert bad["valid"] is False
    row = _row(
        client.get(
            "/api/v1/compliance", params={"year": 2025}, headers=auth_headers("office")
        ).json(),
        chief,
    )
    assert (row["h1"], row["h2"], row["total"], row["compliant"]) == (1, 2, 3, True)
    assert row["missing"] == []


def test_running_year_says_what_is_missing_and_by_when(db, chief_of) -> None:
    rows = [r.model_dump() for r in compliance(db, 2026, today=date(2026, 3, 1))]
    minjiang = _row(rows, chief_of("岷江"))
    assert minjiang["compliant"] is False
    assert minjiang["missing"] == ["1 more patrol by 2026-06-30", "3 more patrols by 2026-12-31"]
    general = _row(rows, official_id(db, "周文昌"))
    assert general["role"] == "general_chief"
    assert (general["required_total"], general["required_per_half"]) == (1, 0)
    assert general["missing"] == ["1 more patrol by 2026-12-31"]
    names = {r["name"] for r in rows}
    assert "吴海峰" not in names  # the deputy general chief has no patrol duty in the seed


def test_partial_year_is_prorated(db, river_id) -> None:
    """Held 1 Aug-31 Dec (153 days): ceil(3 * 153/365) = 2 a year; H2 only (153 > 184/2).
    Held 1 Jan-15 Mar (74 days): ceil(3 * 74/365) = 1; H1 not owed (74 <= 181/2)."""
    late = Official(name="测试甲", title="test")
    early = Official(name="测试乙", title="test")
    db.add_all([late, early])
    db.flush()
    minjiang = river_id("岷江")
    db.add_all(
        [
            Assignment(
                official_id=late.id,
                role="river_chief",
                level="city",
                river_id=minjiang,
                valid_from=date(2026, 8, 1),
            ),
            Assignment(
                official_id=early.id,
                role="river_chief",
                level="city",
                river_id=minjiang,
                valid_from=date(2025, 1, 1),
                valid_to=date(2026, 3, 15),
            ),
        ]
    )
    db.flush()
    rows = [r.model_dump() for r in compliance(db, 2026, today=date(2026, 11, 29))]
    a, b = _row(rows, late.id), _row(rows, early.id)
    assert (a["held_days"], a["required_total"], a["required_h1"], a["required_h2"]) == (
        153,
        2,
        0,
        1,
    )
    assert a["missing"] == ["2 more patrols by 2026-12-31"]
    assert (b["held_days"], b["required_total"], b["required_h1"], b["required_h2"]) == (
        74,
        1,
        0,
        0,
    )
    assert b["missing"] == ["1 more patrol by 2026-03-15 (overdue)"]


def test_xlsx_and_access(client, auth_headers) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    response = client.get(
        "/api/v1/compliance",
        params={"year": 2025, "format": "xlsx"},
        headers=auth_headers("office"),
    )
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["官员编号", "姓名", "角色"]
    json_rows = client.get(
        "/api/v1/compliance", params={"year": 2025}, headers=auth_headers("office")
    ).json()
    assert sheet.max_row == len(json_rows) + 1
    assert client.get("/api/v1/compliance", params={"year": 2025}).status_code == 401
    for user in ("patrol", "meishan"):
        assert (
            client.get(
                "/api/v1/compliance", params={"year": 2025}, headers=auth_headers(user)
            ).status_code
            == 403
        )
    assert (
        client.get(
            "/api/v1/compliance", params={"year": 1900}, headers=auth_headers("office")
        ).status_code
        == 422
    )
