"""Water quality where others look: the neighbour view and brief (交接断面水质清单), the class
list, the river panel's series, the map layer, the health indicator, the dashboard panel."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from service.water_quality.indicators import dashboard_panel
from tests.support import Headers, river_id
from tests.water_quality.conftest import (
    BESIDE_DADU,
    CLEAN,
    FAILING,
    Import,
    Register,
    crossing_point,
    month_ago,
    xlsx,
)


def _meishan_sections(db: Session, register: Register, import_file: Import) -> tuple[date, date]:
    """悦来渡口-like inflow section from 眉山 on 岷江 (target II) failing in the earlier month,
    and an inflow section on 青衣江 that is clean both months."""
    assert register("T-MJ-IN", crossing_point(db, "岷江", "inflow", "511400"),
                    kind="border", target_class=2, name="悦来渡口").status_code == 201  # fmt: skip
    assert register("T-QY-IN", crossing_point(db, "青衣江", "inflow", "511400"),
                    kind="border", target_class=3, name="木城镇").status_code == 201  # fmt: skip
    early, late = month_ago(2), month_ago(1)
    rows = [
        ["T-MJ-IN", "悦来渡口", early.isoformat(), *FAILING],
        ["T-MJ-IN", "悦来渡口", late.isoformat(), *CLEAN],
        ["T-QY-IN", "木城镇", early.isoformat(), *CLEAN],
        ["T-QY-IN", "木城镇", late.isoformat(), *CLEAN],
    ]
    got = import_file(xlsx(rows))
    assert got.status_code == 200, got.text
    return early, late


def test_the_brief_for_meishan_lists_the_border_sections_by_month(
    client: TestClient, db: Session, register: Register, import_file: Import, auth_headers: Headers
) -> None:
    early, late = _meishan_sections(db, register, import_file)
    period = {"from": early.replace(day=1).isoformat(), "to": late.isoformat()}
    view = client.get(
        "/api/v1/cross-boundary/511400", params=period, headers=auth_headers("meishan")
    )
    assert view.status_code == 200, view.text
    wq = view.json()["water_quality"]
    listed = {s["code"]: s for s in wq["border_sections"]}
    assert set(listed) == {"T-MJ-IN", "T-QY-IN"}
    mj = listed["T-MJ-IN"]
    assert mj["direction"] == "inflow" and mj["target_class"] == 2
    assert [(m["month"], m["class"], m["target_met"]) for m in mj["months"]] == [
        (early.replace(day=1).isoformat(), 4, False),
        (late.replace(day=1).isoformat(), 2, True),
    ]
    # The period's class is that of the means: NH3-N (1.2 + 0.4) / 2 = 0.8 -> III; TP
    # (0.15 + 0.08) / 2 = 0.115 -> III; DO 6.25 -> II; CODMn 3.75 -> II.
    assert mj["period_class"] == 3 and mj["period_target_met"] is False
    # Its viewer reads the readings and exceedances of its own border sections.
    mj_readings = client.get(
        f"/api/v1/sections/{mj['id']}/readings", params=period, headers=auth_headers("meishan")
    )
    assert [r["class"] for r in mj_readings.json()] == [4, 2]
    seen = client.get(
        "/api/v1/water-quality/exceedances", params=period, headers=auth_headers("meishan")
    ).json()
    assert [e["section_code"] for e in seen] == ["T-MJ-IN"]
    (item,) = wq["agenda"]  # no joint meeting yet: every inflow exceedance is on the agenda
    assert item["section_code"] == "T-MJ-IN" and item["class"] == 4 and item["target_class"] == 2
    assert item["problem_state"] == "reported" and "入境水质IV类" in item["title"]

    brief = client.get(
        "/api/v1/cross-boundary/511400/brief", params=period, headers=auth_headers("meishan")
    )
    assert brief.status_code == 200
    page = brief.text
    table = page[page.index('id="brief-water-quality"') : page.index('id="brief-water-agenda"')]
    assert "交接断面水质清单" in page
    assert "悦来渡口（T-MJ-IN）" in table and "木城镇（T-QY-IN）" in table
    mj_row = table[table.index("悦来渡口") :].split("</tr>")[0]
    assert ">IV<" in mj_row and ">II<" in mj_row and ">III<" in mj_row  # two months, the period
    assert f"{early.month}月" in table and f"{late.month}月" in table
    agenda = page[page.index('id="brief-water-agenda"') :].split("</table>")[0]
    assert "悦来渡口断面" in agenda and f"#{item['problem_id']}" in agenda
    # 宜宾's brief has neither: the sections are 眉山's.
    other = client.get(
        "/api/v1/cross-boundary/511500/brief", params=period, headers=auth_headers("office")
    ).text
    assert "悦来渡口（T-MJ-IN）" not in other and "无交接断面" in other


def test_class_list_series_and_map_layer(
    client: TestClient, db: Session, register: Register, import_file: Import
) -> None:
    early, late = _meishan_sections(db, register, import_file)
    got = client.get("/api/v1/water-quality", params={"year": early.year, "month": early.month})
    assert got.status_code == 200
    by_code = {r["code"]: r for r in got.json()}
    assert (by_code["T-MJ-IN"]["class"], by_code["T-MJ-IN"]["target_met"]) == (4, False)
    assert (by_code["T-QY-IN"]["class"], by_code["T-QY-IN"]["target_met"]) == (2, True)
    assert by_code["T-MJ-IN"]["target_class"] == 2
    assert by_code["T-MJ-IN"]["means"]["nh3n"] == 1.2
    assert client.get("/api/v1/water-quality", params={"month": 13}).status_code == 422

    rid = river_id(db, "岷江")
    series = client.get(
        "/api/v1/water-quality/series",
        params={"river_id": rid, "from": f"{late.year}-01-01", "to": late.isoformat()},
    ).json()
    (mj,) = series
    assert len(mj["months"]) == late.month
    assert mj["months"][late.month - 1]["class"] == 2

    layer = client.get("/api/v1/sections.geojson").json()
    props = {f["properties"]["code"]: f["properties"] for f in layer["features"]}
    assert props["T-MJ-IN"]["class"] == 2  # the latest month
    assert props["T-MJ-IN"]["month"] == late.replace(day=1).isoformat()
    assert props["T-MJ-IN"]["colour"] == "#1f78b4" and len(layer["legend"]) == 6


def test_health_indicator_is_filled_from_the_sections(
    client: TestClient, db: Session, register: Register, import_file: Import, auth_headers: Headers
) -> None:
    assert register("T-H1", BESIDE_DADU).status_code == 201
    day = month_ago(1)
    assert import_file(xlsx([["T-H1", "", day.isoformat(), *FAILING]])).status_code == 200
    scores = {
        "shoreline_naturalness": 80,
        "illegal_shoreline_use": 90,
        "ecological_flow": 90,
        "self_purification": 80,
        "fish_retention": 60,
        "public_satisfaction": 85,
    }
    body = {
        "river_id": river_id(db, "大渡河"),
        "year": day.year,
        "assessed_on": day.isoformat(),
        "scores": scores,
    }
    office = auth_headers("office")
    typed = client.post(
        "/api/v1/health-assessments",
        json={**body, "scores": {**scores, "water_quality": 100}},
        headers=office,
    )
    assert typed.status_code == 422 and typed.json()["code"] == "computed_indicator"
    created = client.post("/api/v1/health-assessments", json=body, headers=office)
    assert created.status_code == 201, created.text
    (wq,) = [i for i in created.json()["indicators"] if i["indicator"] == "water_quality"]
    # One section, class IV for the year -> 60 (config.WATER_QUALITY_SCORES).
    assert wq["score"] == 60.0 and "Ⅳ类" in wq["measured"] and "1 个监测断面" in wq["measured"]
    # water (90 + 60 + 80) / 3 = 76.67; RHI = 0.2*85 + 0.3*76.67 + 0.2*60 + 0.3*85 = 77.5
    assert created.json()["score"] == 77.5
    river = client.get(
        f"/api/v1/water-quality/rivers/{body['river_id']}", params={"year": day.year}
    )
    assert river.json()["class"] == 4 and river.json()["sections"] == 1


def test_dashboard_panel_counts_match_their_lists(
    client: TestClient, db: Session, register: Register, import_file: Import, auth_headers: Headers
) -> None:
    early, late = _meishan_sections(db, register, import_file)
    panel = dashboard_panel(db, early.replace(day=1), late)
    assert panel.month == late.replace(day=1)
    assert panel.with_readings.value == 2 and panel.target_met.value == 2
    assert panel.by_class[2] == 2 and panel.share_met == 1.0
    assert panel.exceedances.value == 1 and panel.supervised.value == 0
    office = auth_headers("office")
    listed = client.get(panel.exceedances.link, headers=office).json()
    assert len(listed) == panel.exceedances.value
    month_list = client.get(panel.target_met.link).json()
    assert sum(1 for r in month_list if r["target_met"]) == panel.target_met.value
    problems = client.get(panel.open_problems.link, headers=office)
    assert int(problems.headers["X-Total-Count"]) == panel.open_problems.value
