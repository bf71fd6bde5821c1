"""一河一档 (issue 19): the archive of 大渡河 as JSON, XLSX and a print view; office edits."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.archive.models import RiverArchive
from service.reaches.models import Reach, Township
from service.rivers.models import River, Segment

EDIT = {
    "river_level": "省级河流",
    "basin": "长江流域岷江水系",
    "source": "青海省果洛州阿尼玛卿山",
    "mouth": "乐山市中区汇入岷江",
    "total_length_km": 1062,
    "catchment_area_km2": 77400,
    "water_function_zones": [
        {
            "name": "大渡河沙湾保留区",
            "kind": "保留区",
            "start": "铜街子",
            "end": "沙湾",
            "target_class": 3,
        }
    ],
    "main_problems": ['=HYPERLINK("http://x")', "河道采砂管理"],
}


@pytest.fixture
def dadu(db: Session) -> River:
    river = db.scalar(select(River).where(River.name == "大渡河"))
    assert river is not None
    return river


def test_archive_computes_places_reaches_and_length(client, db, dadu, auth_headers) -> None:
    r = client.get(f"/api/v1/rivers/{dadu.id}/archive", headers=auth_headers("county"))
    assert r.status_code == 200, r.text
    a = r.json()
    assert a["name"] == "大渡河"
    # Length in the city: the segments' geodesic metres, counted independently here.
    metres = db.scalar(select(func.sum(Segment.length_m)).where(Segment.river_id == dadu.id))
    assert a["length_in_city_km"] == pytest.approx(metres / 1000, abs=0.01)
    # Counties from the segments, townships from the demo's township reaches.
    counties = set(db.scalars(select(Segment.county_code).where(Segment.river_id == dadu.id)))
    assert {c["code"] for c in a["counties"]} == counties
    assert "511111" in counties  # 沙湾区
    towns = set(
        db.scalars(
            select(Township.code)
            .join(Reach, Reach.admin_code == Township.code)
            .where(Reach.river_id == dadu.id, Reach.level == "township", Reach.valid_to.is_(None))
        )
    )
    assert towns and {t["code"] for t in a["townships"]} >= towns
    assert all(t["name"] for t in a["townships"])
    levels = {x["level"] for x in a["reaches"]}
    assert {"city", "county", "township"} <= levels
    city = next(x for x in a["reaches"] if x["level"] == "city")
    assert city["chiefs"], "the city reach names its municipal chief"
    # Nothing typed in yet.
    assert a["basin"] is None and a["water_function_zones"] == [] and a["main_problems"] == []


def test_office_edits_archive_and_it_exports(client, db, dadu, auth_headers) -> None:
    office = auth_headers("office")
    r = client.patch(f"/api/v1/rivers/{dadu.id}/archive", json=EDIT, headers=office)
    assert r.status_code == 200, r.text
    assert r.json()["basin"] == "长江流域岷江水系"
    assert r.json()["water_function_zones"][0]["target_class"] == 3
    # A second PATCH changes only what it names; null clears.
    r = client.patch(f"/api/v1/rivers/{dadu.id}/archive", json={"mouth": None}, headers=office)
    a = r.json()
    assert a["mouth"] is None and a["source"] == EDIT["source"] and a["total_length_km"] == 1062

    x = client.get(f"/api/v1/rivers/{dadu.id}/archive.xlsx", headers=office)
    assert x.status_code == 200
    assert x.headers["content-type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(x.content))
    assert {"基本信息", "河段与河长", "流经地区", "监测断面", "水功能区", "方案与清单"} <= set(
        wb.sheetnames
    )
    basic = {row[0].value: row[1] for row in wb["基本信息"].iter_rows()}
    assert basic["河流名称"].value == "大渡河"
    assert basic["所属流域"].value == "长江流域岷江水系"
    assert basic["流域面积（km²）"].value == 77400
    # A typed-in text that looks like a formula stays text.
    assert basic["主要问题"].data_type == "s"
    assert basic["主要问题"].value.startswith("=HYPERLINK")
    zones = list(wb["水功能区"].iter_rows(min_row=2, values_only=True))
    assert zones[0][0] == "大渡河沙湾保留区" and zones[0][5] == "Ⅲ"
    reaches = list(wb["河段与河长"].iter_rows(min_row=2, values_only=True))
    assert len(reaches) == len(a["reaches"])

    h = client.get(f"/api/v1/rivers/{dadu.id}/archive.html", headers=office)
    assert h.status_code == 200 and "size: A4" in h.text
    assert "大渡河 · 一河一档" in h.text and "大渡河沙湾保留区" in h.text
    assert "&#34;http://x&#34;" in h.text or "&quot;http://x&quot;" in h.text  # escaped


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"basin": "x" * 121}, "basin"),
        ({"main_problems": ["问题"] * 31}, "main_problems"),
        ({"water_function_zones": [{"name": "区", "target_class": 6}]}, "water_function_zones"),
        ({"total_length_km": -1}, "total_length_km"),
        ({"catchment_area": 5}, "catchment_area"),
    ],
)
def test_bad_edits_are_refused_and_write_nothing(
    client, db, dadu, auth_headers, body, field
) -> None:
    r = client.patch(f"/api/v1/rivers/{dadu.id}/archive", json=body, headers=auth_headers("office"))
    assert r.status_code == 422, r.text
    assert r.json()["code"] and field in (r.json().get("field") or "") + r.json()["detail"]
    assert db.get(RiverArchive, dadu.id) is None


def test_who_may_read_and_edit(client, dadu, auth_headers) -> None:
    assert client.get(f"/api/v1/rivers/{dadu.id}/archive").status_code == 401
    r = client.patch(
        f"/api/v1/rivers/{dadu.id}/archive", json={"basin": "x"}, headers=auth_headers("county")
    )
    assert r.status_code == 403
    assert (
        client.get("/api/v1/rivers/999999/archive", headers=auth_headers("office")).status_code
        == 404
    )
