"""Readings imported from the bureau's spreadsheets: the hand-checked example, bad rows,
the dry run, and an exceedance that opens a 水质异常 problem upstream, then 督办."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.problems.models import Problem
from service.water_quality.models import SectionReading
from tests.support import Headers
from tests.water_quality.conftest import (
    BESIDE_DADU,
    CLEAN,
    FAILING,
    Import,
    Register,
    month_ago,
    segment_of,
    xlsx,
)


def test_hand_checked_example_opens_a_problem_upstream_then_supervises_it(
    client: TestClient, db: Session, register: Register, import_file: Import, auth_headers: Headers
) -> None:
    created = register("T-DD-11", BESIDE_DADU, target_class=3)
    assert created.status_code == 201, created.text
    section = created.json()
    first, second = month_ago(2), month_ago(1)
    content = xlsx([["T-DD-11", "测试断面", first.isoformat(), *FAILING]])

    got = import_file(content)
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["dry_run"] is False and body["rows"] == 1
    (reading,) = body["readings"]
    assert reading["by_parameter"] == {"do": 3, "codmn": 3, "nh3n": 4, "tp": 3}
    assert reading["class"] == 4 and reading["label"] == "Ⅳ类"
    assert reading["worst_parameters"] == ["nh3n"]
    assert reading["target_class"] == 3 and reading["target_met"] is False
    assert reading["row"] == 2
    (exceeded,) = body["exceedances"]
    assert exceeded["class"] == 4 and exceeded["repeat"] is False

    # Routed to the reach just upstream of the section: 大渡河 in 沙湾区 (segment ord 11).
    problem = db.get(Problem, exceeded["problem_id"])
    assert problem is not None
    upstream = segment_of(db, "大渡河", 11)
    assert problem.category == "water_quality" and problem.state == "reported"
    assert (problem.river_id, problem.segment_id) == (section["river_id"], upstream.id)
    assert problem.county_code == "511111"
    assert "IV类" in problem.description and "氨氮 1.2 mg/L（IV类）" in problem.description
    assert problem.supervised_at is None

    # The same section fails again the next month: one problem, a history row, 督办.
    again = import_file(xlsx([["T-DD-11", "测试断面", second.isoformat(), *FAILING]]))
    assert again.status_code == 200, again.text
    (repeat,) = again.json()["exceedances"]
    assert repeat["repeat"] is True and repeat["problem_id"] == problem.id
    office = auth_headers("office")
    detail = client.get(f"/api/v1/problems/{problem.id}", headers=office).json()
    assert [e["action"] for e in detail["history"]] == ["report", "supervise"]
    assert detail["history"][1]["from_state"] == detail["history"][1]["to_state"] == "reported"
    assert detail["supervised_at"] is not None
    opened = db.scalar(
        select(func.count(Problem.id)).where(
            Problem.category == "water_quality", Problem.river_id == section["river_id"]
        )
    )
    assert opened == 1

    # A clean month opens nothing and changes nothing.
    third = import_file(xlsx([["T-DD-11", "测试断面", month_ago(0).replace(day=1).isoformat(),
                               *CLEAN]]))  # fmt: skip
    assert third.status_code == 200 and third.json()["exceedances"] == []

    # Listed in the to-do: the office has it to assign, marked 督办.
    todo = client.get("/api/v1/me/todo", headers=office).json()
    items = [i for i in todo["items"] if i["key"] == f"problem:{problem.id}:water_quality"]
    assert len(items) == 1 and items[0]["kind"] == "water_quality"
    assert items[0]["title"].startswith("【督办】水质异常待交办")


def test_a_file_with_any_bad_row_is_refused_whole(
    db: Session, register: Register, import_file: Import
) -> None:
    assert register("T-BAD", BESIDE_DADU).status_code == 201
    before = db.scalar(select(func.count(SectionReading.id)))
    header = ["断面编码", "监测日期", "溶解氧(μg/L)", "氨氮(mg/L)", "总磷(mg/L)", "石油类(mg/L)"]
    future = month_ago(0).replace(year=month_ago(0).year + 1)
    rows = [
        ["T-BAD", month_ago(3).isoformat(), 7, 0.3, 0.05, None],  # row 2: good on its own
        ["NOPE-1", month_ago(3).isoformat(), 7, 0.3, 0.05, None],  # row 3: unknown section
        ["T-BAD", month_ago(2).isoformat(), 7, -0.3, 0.05, None],  # row 4: negative
        ["T-BAD", future.isoformat(), 7, 0.3, 0.05, None],  # row 5: a future month
    ]
    got = import_file(xlsx(rows, header))
    assert got.status_code == 422, got.text
    body = got.json()
    assert body["code"] == "bad_rows"
    refused = {(r["row"], r["code"]) for r in body["refused"]}
    assert refused == {
        (1, "unknown_unit"),  # 溶解氧 in μg/L
        (1, "unknown_parameter"),  # 石油类 is not a parameter here
        (3, "unknown_section"),
        (4, "negative_value"),
        (5, "future_date"),
    }
    assert all(r["reason"] for r in body["refused"])
    assert body["rows"] == 1  # the preview of what was good
    assert db.scalar(select(func.count(SectionReading.id))) == before  # nothing imported


def test_dry_run_previews_and_writes_nothing(
    db: Session, register: Register, import_file: Import
) -> None:
    assert register("T-DRY", BESIDE_DADU).status_code == 201
    before = db.scalar(select(func.count(SectionReading.id)))
    content = xlsx([["T-DRY", "", month_ago(1).isoformat(), *FAILING]])
    got = import_file(content, dry_run=True)
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["dry_run"] is True and body["rows"] == 1 and body["import_id"] is None
    assert body["readings"][0]["class"] == 4 and body["readings"][0]["id"] is None
    assert body["exceedances"] == []
    assert db.scalar(select(func.count(SectionReading.id))) == before
    # The same file for real, then again: the second time every row is already there.
    assert import_file(content).status_code == 200
    twice = import_file(content)
    assert twice.status_code == 422
    assert [r["code"] for r in twice.json()["refused"]] == ["already_imported"]


def test_csv_and_readings_by_period(
    client: TestClient, register: Register, import_file: Import, auth_headers: Headers
) -> None:
    section = register("T-CSV", BESIDE_DADU).json()
    day1, day2 = month_ago(3), month_ago(2)
    content = (
        "断面编码,监测日期,监测类型,溶解氧,总磷\n"
        f"T-CSV,{day1},例行,8.0,0.01L\n"
        f"T-CSV,{day2},应急,6.5,0.12\n"
    ).encode()
    assert import_file(content, name="r.csv").status_code == 200
    url = f"/api/v1/sections/{section['id']}/readings"
    got = client.get(
        url,
        params={"from": day1.isoformat(), "to": day1.isoformat()},
        headers=auth_headers("county"),
    ).json()
    assert len(got) == 1 and got[0]["values"] == {"do": 8.0, "tp": 0.005}
    assert got[0]["below_detection"] == ["tp"] and got[0]["kind"] == "monthly"
    both = client.get(url, params={"from": day1.isoformat()}, headers=auth_headers("office"))
    assert [r["kind"] for r in both.json()] == ["monthly", "adhoc"]
    assert client.get(url).status_code == 401
    # A neighbour city reads its own border sections only; periods are bounded.
    assert client.get(url, headers=auth_headers("meishan")).json()["code"] == "not_your_border"
    office = auth_headers("office")
    far = client.get(url, params={"to": "9999-12-31"}, headers=office)
    assert far.status_code == 422 and far.json()["code"] == "date_out_of_range"
    long = client.get(url, params={"from": "2001-01-01", "to": "2020-01-01"}, headers=office)
    assert long.status_code == 422 and long.json()["code"] == "period_too_long"
