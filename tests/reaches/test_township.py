"""The township office (role ``township``, bound to a 9-digit code): workflow, to-do, lists."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auth.models import UserAccount
from tests.reaches.conftest import SHAWAN_DADU
from tests.support import Headers


def _township(db: Session) -> str:
    code = db.scalar(select(UserAccount.township_code).where(UserAccount.username == "township"))
    assert code is not None and len(code) == 9 and code.startswith("511111")
    return code


def _report(client: TestClient, headers: Headers, lon: float, lat: float) -> dict:  # type: ignore[type-arg]
    r = client.post(
        "/api/v1/problems",
        json={
            "lon": lon,
            "lat": lat,
            "category": "garbage",
            "description": "岸边垃圾",
            "observed_at": "2026-03-02T10:00:00+08:00",
        },
        headers=headers("patrol"),
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_township_office_takes_a_problem_through_the_workflow(
    client: TestClient, auth_headers: Headers, db: Session
) -> None:
    town = _township(db)
    problem = _report(client, auth_headers, *SHAWAN_DADU)
    assert problem["township_code"] == town  # routed to its reach
    pid = problem["id"]
    me = client.get("/api/v1/auth/me", headers=auth_headers("township")).json()
    assert me["role"] == "township" and me["township_code"] == town
    # It sees its township's problems, not another township's.
    mine = client.get("/api/v1/problems", headers=auth_headers("township"))
    assert mine.status_code == 200 and pid in [p["id"] for p in mine.json()]
    elsewhere = _report(client, auth_headers, 103.9750, 29.1620)  # 岷江 in 犍为县
    listed = [
        p["id"] for p in client.get("/api/v1/problems", headers=auth_headers("township")).json()
    ]
    assert elsewhere["id"] not in listed
    assert (
        client.get(
            f"/api/v1/problems/{elsewhere['id']}", headers=auth_headers("township")
        ).status_code
        == 404
    )
    # The office assigns it to the township office, which rectifies it.
    url = f"/api/v1/problems/{pid}/transitions"
    office, township = auth_headers("office"), auth_headers("township")
    assert client.post(url, json={"action": "start"}, headers=township).status_code == 409
    both = {"action": "assign", "assignee_township": town, "assignee_county": "511111"}
    assert client.post(url, json=both, headers=office).status_code == 422
    unknown = {"action": "assign", "assignee_township": "511111999", "due_date": "2026-12-31"}
    assert client.post(url, json=unknown, headers=office).status_code == 422
    assign = {"action": "assign", "assignee_township": town, "due_date": "2099-12-31"}
    r = client.post(url, json=assign, headers=office)
    assert r.status_code == 200, r.text
    detail = client.get(f"/api/v1/problems/{pid}", headers=township).json()
    assert detail["assignee_township"] == town and detail["allowed_actions"] == ["start"]
    assert detail["history"][-1]["assignee_township"] == town
    todo = client.get("/api/v1/me/todo", headers=township).json()
    assert f"problem:{pid}:problem_assigned" in [i["key"] for i in todo["items"]]
    assert (
        client.post(url, json={"action": "start"}, headers=auth_headers("county")).status_code
        == 403
    )
    assert client.post(url, json={"action": "start"}, headers=township).status_code == 200
    done = client.post(url, json={"action": "rectified", "note": "已清理"}, headers=township)
    assert done.status_code == 200, done.text
    assert client.post(url, json={"action": "verify"}, headers=township).status_code == 403
    # The township's filter on the list.
    by_town = client.get("/api/v1/problems", params={"township": town}, headers=office).json()
    assert pid in [p["id"] for p in by_town]


def test_township_office_reads_like_a_county_and_organises_its_chiefs_patrols(
    client: TestClient, auth_headers: Headers, db: Session
) -> None:
    town = _township(db)
    township = auth_headers("township")
    for path in ("/api/v1/compliance?year=2026", "/api/v1/problems/summary?year=2026"):
        assert client.get(path, headers=township).status_code == 200, path
    assert client.get("/api/v1/patrols", headers=township).status_code == 403
    assert client.get("/api/v1/users", headers=township).status_code == 403
    todo = client.get("/api/v1/me/todo", headers=township).json()
    organise = [i for i in todo["items"] if i["kind"] == "patrol_organise"]
    # No patrols in the test database: each of its township and village chiefs owes this
    # period's patrol (a month for the township chief, a week for a village chief).
    reaches = client.get("/api/v1/reaches", params={"admin_code": town}).json()
    chiefs = {c["name"] for r in reaches for c in r["chiefs"]}
    assert chiefs and {n for n in chiefs if any(n in i["title"] for i in organise)} == chiefs
    assert any("还需巡河 1 次（每周至少 1 次）" in i["title"] for i in organise)
    assert any("还需巡河 1 次（每月至少 1 次）" in i["title"] for i in organise)


def test_accounts_bind_a_township_code(
    client: TestClient, auth_headers: Headers, db: Session
) -> None:
    office = auth_headers("office")
    town = _township(db)
    ok = client.post(
        "/api/v1/users",
        json={
            "username": "town2",
            "role": "township",
            "township_code": town,
            "password": "a-long-password",
        },
        headers=office,
    )
    assert ok.status_code == 201, ok.text
    assert ok.json()["township_code"] == town
    for body, why in (
        ({"username": "t3", "role": "township"}, "needs a code"),
        ({"username": "t4", "role": "township", "township_code": "511111999"}, "unknown"),
        (
            {"username": "t5", "role": "county", "county_code": "511111", "township_code": town},
            "foreign",
        ),
        ({"username": "t6", "role": "township", "township_code": "5111"}, "not 9 digits"),
    ):
        r = client.post("/api/v1/users", json=body, headers=office)
        assert r.status_code == 422, why
