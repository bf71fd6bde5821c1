"""The four lists: drafting, approval by the river's chief, issue, XLSX export → import."""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from service.problems.schemas import ProblemIn
from service.problems.service import report_problem
from service.timeutil import today_local
from service.workflow import SystemActor
from tests.support import river_id

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LISTS: dict[str, list[dict[str, Any]]] = {
    "targets": [
        {
            "category": "水质",
            "content": "岷江乐山段出境断面水质稳定达到Ⅱ类",
            "measure": "达标率100%",
            "due_date": "2026-12-31",
            "note": None,
        },
        {
            "category": "岸线",
            "content": "清理整治“四乱”问题",
            "measure": "动态清零",
            "due_date": None,
            "note": "持续",
        },
    ],
    "problems": [
        {
            "category": "非法采砂",
            "content": "沙湾区河段夜间偷采",
            "county_code": "511111",
            "problem_id": None,
            "responsible_unit": "沙湾区人民政府",
            "measure": "加强夜间巡查",
            "due_date": "2026-06-30",
        },
    ],
    "tasks": [
        {
            "category": "排污口",
            "content": "完成入河排污口溯源整治",
            "responsible_unit": "市生态环境局",
            "cooperating_units": "市水务局、各县（市、区）",
            "due_date": "2026-10-31",
        },
    ],
    "responsibilities": [
        {
            "category": "市级河长",
            "responsible_unit": "岷江市级河长",
            "responsible_person": "刘建平",
            "content": "统筹协调岷江流域管理保护",
        },
        {"category": "联络员单位", "responsible_unit": "市水务局", "content": "承办巡河与会议"},
    ],
}


def _lists(db: Session) -> dict[str, list[dict[str, Any]]]:
    """LISTS with its problem line linked to a real problem point beside 大渡河 in 沙湾区."""
    problem = report_problem(
        db,
        ProblemIn(
            lon=103.5497,
            lat=29.4136,
            datum="wgs84",
            category="sand_mining",
            description="夜间偷采",
            observed_at=datetime(2026, 1, 5, 2, tzinfo=UTC),
            covert=False,
        ),
        SystemActor(),
        now=datetime(2026, 1, 5, 2, tzinfo=UTC),
    )
    lists = copy.deepcopy(LISTS)
    lists["problems"][0]["problem_id"] = problem.id
    return lists


def _items(body: dict[str, Any]) -> dict[str, Any]:
    return {k: body[k] for k in ("targets", "problems", "tasks", "responsibilities")}


def test_xlsx_round_trip_gives_identical_lists(
    client: TestClient, db: Session, auth_headers: Callable[[str], dict[str, str]]
) -> None:
    lists = _lists(db)
    rid = river_id(db, "岷江")
    office = auth_headers("office")
    url = f"/api/v1/rivers/{rid}/annual-lists/2026"
    saved = client.put(url, json=lists, headers=office)
    assert saved.status_code == 200, saved.text
    before = _items(saved.json())
    assert before["problems"][0]["county_code"] == "511111"

    exported = client.get(url + ".xlsx", headers=office)
    assert exported.status_code == 200
    assert exported.headers["content-type"] == XLSX
    wb = load_workbook(io.BytesIO(exported.content))
    assert wb.sheetnames == ["目标清单", "问题清单", "任务清单", "责任清单"]
    problems = wb["问题清单"]
    assert problems["A1"].value == "岷江2026年度河湖长制问题清单"
    assert [c.value for c in problems[3]][:5] == [
        "序号",
        "问题类型",
        "问题描述",
        "所在县（市、区）",
        "问题点位编号",
    ]
    assert problems["D4"].value == "沙湾区"  # printed as a name, imported back as the code

    # Wipe the lists, then import the workbook: the data must come back exactly.
    wiped = client.put(url, json={}, headers=office).json()
    assert all(wiped[k] == [] for k in LISTS)
    imported = client.put(
        url + ".xlsx", content=exported.content, headers={**office, "Content-Type": XLSX}
    )
    assert imported.status_code == 200, imported.text
    assert _items(imported.json()) == before
    assert _items(client.get(url, headers=office).json()) == before


def test_import_refuses_another_rivers_workbook_and_garbage(
    client: TestClient, db: Session, auth_headers: Callable[[str], dict[str, str]]
) -> None:
    lists = _lists(db)
    office = auth_headers("office")
    minjiang, dadu = river_id(db, "岷江"), river_id(db, "大渡河")
    client.put(f"/api/v1/rivers/{minjiang}/annual-lists/2026", json=lists, headers=office)
    content = client.get(
        f"/api/v1/rivers/{minjiang}/annual-lists/2026.xlsx", headers=office
    ).content
    wrong = client.put(
        f"/api/v1/rivers/{dadu}/annual-lists/2026.xlsx",
        content=content,
        headers={**office, "Content-Type": XLSX},
    )
    assert wrong.status_code == 422
    assert "岷江2026年度" in wrong.json()["detail"]
    assert client.get(f"/api/v1/rivers/{dadu}/annual-lists/2026", headers=office).status_code == 404
    garbage = client.put(
        f"/api/v1/rivers/{minjiang}/annual-lists/2026.xlsx",
        content=b"not a zip",
        headers={**office, "Content-Type": XLSX},
    )
    assert garbage.status_code == 400


def test_bad_cell_is_reported_with_sheet_row_and_column(
    client: TestClient, db: Session, auth_headers: Callable[[str], dict[str, str]]
) -> None:
    lists = _lists(db)
    office = auth_headers("office")
    rid = river_id(db, "岷江")
    url = f"/api/v1/rivers/{rid}/annual-lists/2026"
    client.put(url, json=lists, headers=office)
    wb = load_workbook(io.BytesIO(client.get(url + ".xlsx", headers=office).content))
    wb["任务清单"]["F4"] = "明年"
    wb["问题清单"]["D4"] = "成都市"
    buf = io.BytesIO()
    wb.save(buf)
    response = client.put(
        url + ".xlsx", content=buf.getvalue(), headers={**office, "Content-Type": XLSX}
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert any("任务清单 row 4 column 完成时限" in e for e in errors)
    assert any("问题清单 row 4 column 所在县（市、区）" in e for e in errors)
    # Nothing was half-written.
    assert _items(client.get(url, headers=office).json())["tasks"][0]["due_date"] == "2026-10-31"


def test_lists_are_approved_by_the_rivers_chief_then_issued_with_a_number(
    client: TestClient, db: Session, auth_headers: Callable[[str], dict[str, str]]
) -> None:
    lists = _lists(db)
    rid = river_id(db, "岷江")
    url = f"/api/v1/rivers/{rid}/annual-lists/2026"
    client.put(url, json=lists, headers=auth_headers("liaison"))  # 岷江's liaison unit drafts
    early = client.post(url + "/issue", headers=auth_headers("office"))
    assert early.status_code == 409
    assert "approve" in early.json()["possible_actions"]
    assert client.post(url + "/approve", headers=auth_headers("liaison")).status_code == 403
    # Dated today: a step may be neither before the draft nor in the future (issue 14).
    approved = client.post(url + "/approve", json={}, headers=auth_headers("chief"))
    assert approved.status_code == 200, approved.text
    assert approved.json()["state"] == "approved"
    assert client.put(url, json=lists, headers=auth_headers("office")).status_code == 409
    issued = client.post(url + "/issue", json={}, headers=auth_headers("office"))
    assert issued.status_code == 200
    body = issued.json()
    year = today_local().year
    assert re.fullmatch(rf"乐总河长办发〔{year}〕\d+号", body["document_number"])
    assert [e["action"] for e in body["history"]] == ["draft", "approve", "issue"]
    assert body["history"][-1]["data"]["document_number"] == body["document_number"]
    assert client.post(url + "/approve", headers=auth_headers("chief")).status_code == 409


def test_other_rivers_chief_and_county_cannot_draft_or_approve(
    client: TestClient, db: Session, auth_headers: Callable[[str], dict[str, str]]
) -> None:
    lists = _lists(db)
    dadu = river_id(db, "大渡河")
    url = f"/api/v1/rivers/{dadu}/annual-lists/2026"
    # The demo liaison account is 岷江's unit, not 大渡河's.
    assert client.put(url, json=lists, headers=auth_headers("liaison")).status_code == 403
    assert client.put(url, json=lists, headers=auth_headers("county")).status_code == 403
    client.put(url, json=lists, headers=auth_headers("office"))
    assert client.post(url + "/approve", headers=auth_headers("chief")).status_code == 403
    assert client.get(url + ".xlsx").status_code == 401


def test_unknown_problem_point_is_refused(
    client: TestClient, db: Session, auth_headers: Callable[[str], dict[str, str]]
) -> None:
    lists = _lists(db)
    lists["problems"][0]["problem_id"] = 987654321
    url = f"/api/v1/rivers/{river_id(db, '岷江')}/annual-lists/2026"
    response = client.put(url, json=lists, headers=auth_headers("office"))
    assert response.status_code == 422 and "987654321" in response.json()["detail"]


def test_one_river_one_policy_plan(
    client: TestClient, db: Session, auth_headers: Callable[[str], dict[str, str]]
) -> None:
    rid = river_id(db, "岷江")
    body = {
        "title": "岷江（乐山段）一河一策方案（2026—2030年）",
        "period_start": 2026,
        "period_end": 2030,
    }
    created = client.post(f"/api/v1/rivers/{rid}/plans", json=body, headers=auth_headers("liaison"))
    assert created.status_code == 201, created.text
    plan = created.json()
    assert plan["state"] == "drafted"
    overlap = {**body, "period_start": 2028, "period_end": 2032}
    assert (
        client.post(
            f"/api/v1/rivers/{rid}/plans", json=overlap, headers=auth_headers("office")
        ).status_code
        == 409
    )
    backwards = {**body, "period_start": 2031, "period_end": 2030}
    assert (
        client.post(
            f"/api/v1/rivers/{rid}/plans", json=backwards, headers=auth_headers("office")
        ).status_code
        == 422
    )
    url = f"/api/v1/river-plans/{plan['id']}"
    assert client.post(url + "/issue", headers=auth_headers("office")).status_code == 409
    assert client.post(url + "/approve", json={}, headers=auth_headers("chief")).status_code == 200
    issued = client.post(url + "/issue", json={}, headers=auth_headers("office"))
    assert issued.status_code == 200
    assert issued.json()["document_number"].startswith(f"乐总河长办发〔{today_local().year}〕")
    listed = client.get(
        "/api/v1/river-plans", params={"river_id": rid}, headers=auth_headers("county")
    ).json()
    assert [p["id"] for p in listed] == [plan["id"]]


def test_workbook_bombs_and_overlong_lists_are_refused(
    client: TestClient, db: Session, auth_headers: Callable[[str], dict[str, str]]
) -> None:
    import zipfile

    office = auth_headers("office")
    url = f"/api/v1/rivers/{river_id(db, '岷江')}/annual-lists/2026"
    client.put(url, json={"targets": [{"content": "水质稳定"}]}, headers=office)
    content = client.get(url + ".xlsx", headers=office).content
    # A part that inflates to 30 MB from a few kB.
    buf = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as src,
        zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("xl/bomb.bin", b"\0" * (30 * 1024 * 1024))
    assert len(buf.getvalue()) < 1024 * 1024
    bomb = client.put(
        url + ".xlsx", content=buf.getvalue(), headers={**office, "Content-Type": XLSX}
    )
    assert bomb.status_code == 413
    wb = load_workbook(io.BytesIO(content))
    for n in range(501):
        wb["目标清单"].append([n + 1, "水质", f"目标{n}"])
    out = io.BytesIO()
    wb.save(out)
    long = client.put(
        url + ".xlsx", content=out.getvalue(), headers={**office, "Content-Type": XLSX}
    )
    assert long.status_code == 422 and "more than 500 rows" in long.json()["detail"]
