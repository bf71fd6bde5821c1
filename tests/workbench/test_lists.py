"""The workbench's lists say how many rows they have and page without silent cuts; the
problem, patrol and account lists take the filters and orders the tables offer (issue 15)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.support import Headers
from tests.workbench.conftest import Seeded


def _all_pages(client: TestClient, path: str, headers: dict[str, str], size: int) -> list[int]:
    ids: list[int] = []
    offset = 0
    while True:
        sep = "&" if "?" in path else "?"
        r = client.get(f"{path}{sep}limit={size}&offset={offset}", headers=headers)
        assert r.status_code == 200, r.text
        page = [row["id"] for row in r.json()]
        ids += page
        offset += size
        if offset >= int(r.headers["X-Total-Count"]):
            return ids


def test_problem_pages_add_up_to_the_total(
    client: TestClient, auth_headers: Headers, seeded: Seeded
) -> None:
    office = auth_headers("office")
    whole = client.get("/api/v1/problems?limit=10000", headers=office)
    total = int(whole.headers["X-Total-Count"])
    assert total == len(whole.json()) >= 15
    paged = _all_pages(client, "/api/v1/problems", office, 4)
    assert paged == [p["id"] for p in whole.json()]
    overdue = client.get("/api/v1/problems?overdue=true&limit=2", headers=office)
    assert len(overdue.json()) == 2
    assert int(overdue.headers["X-Total-Count"]) == 3
    assert {
        p["id"] for p in client.get("/api/v1/problems?overdue=true", headers=office).json()
    } == set(seeded.overdue)


def test_problem_search_by_id_code_and_text(
    client: TestClient, auth_headers: Headers, seeded: Seeded
) -> None:
    office = auth_headers("office")
    pid = seeded.problems[7]
    by_id = client.get(f"/api/v1/problems?q={pid}", headers=office).json()
    assert [p["id"] for p in by_id] == [pid]
    by_text = client.get("/api/v1/problems", params={"q": "测试问题 1"}, headers=office).json()
    # "测试问题 1", "测试问题 10" .. "测试问题 14"
    assert sorted(p["id"] for p in by_text) == sorted([seeded.problems[1], *seeded.problems[10:]])
    percent = client.get("/api/v1/problems", params={"q": "%"}, headers=office).json()
    assert percent == []  # a wildcard is a character like any other
    # A neighbour city sees no descriptions, so words find nothing there; an id does.
    viewer = auth_headers("meishan")
    assert client.get("/api/v1/problems", params={"q": "测试问题"}, headers=viewer).json() == []
    public = client.get(f"/api/v1/problems?q={pid}", headers=viewer).json()
    assert [p["id"] for p in public] == [pid] and "description" not in public[0]
    code = f"{seeded.code[:4]}-{seeded.code[4:].lower()}"  # as people type it
    found = client.get("/api/v1/problems", params={"q": code}, headers=office).json()
    assert [p["id"] for p in found] == [seeded.coded_problem]
    assert client.get("/api/v1/problems?q=" + "x" * 101, headers=office).status_code == 422


def test_problem_sort(client: TestClient, auth_headers: Headers, seeded: Seeded) -> None:
    office = auth_headers("office")
    rows = client.get("/api/v1/problems?sort=due_date&limit=10000", headers=office).json()
    assert [r["id"] for r in rows[:3]] == seeded.overdue  # due 04-01, 04-02, 05-01
    dues = [r["due_date"] for r in rows]
    known = [d for d in dues if d is not None]
    assert dues == [*sorted(known), *[None] * (len(dues) - len(known))]  # none: last
    rows = client.get("/api/v1/problems?sort=-due_date&limit=10000", headers=office).json()
    assert [r["id"] for r in rows if r["id"] in seeded.overdue] == seeded.overdue[::-1]
    dues = [r["due_date"] for r in rows if r["due_date"] is not None]
    assert dues == sorted(dues, reverse=True)
    ids = [r["id"] for r in client.get("/api/v1/problems?sort=-id", headers=office).json()]
    assert ids == sorted(ids, reverse=True)
    bad = client.get("/api/v1/problems?sort=description", headers=office)
    assert bad.status_code == 422 and bad.json()["code"] == "not_allowed_value"


def test_patrols_filter_by_validity(
    client: TestClient, auth_headers: Headers, seeded: Seeded
) -> None:
    office = auth_headers("office")
    everything = client.get("/api/v1/patrols?limit=1", headers=office)
    invalid = client.get("/api/v1/patrols?valid=false&limit=10000", headers=office)
    valid = client.get("/api/v1/patrols?valid=true&limit=1", headers=office)
    assert [p["id"] for p in invalid.json()] == [seeded.patrol_invalid]
    assert invalid.json()[0]["invalid_reasons"] == ["no_times"]
    assert int(invalid.headers["X-Total-Count"]) + int(valid.headers["X-Total-Count"]) == int(
        everything.headers["X-Total-Count"]
    )


def test_users_filter(client: TestClient, auth_headers: Headers) -> None:
    office = auth_headers("office")
    counties = client.get("/api/v1/users?role=county", headers=office)
    assert counties.json() and {u["role"] for u in counties.json()} == {"county"}
    assert int(counties.headers["X-Total-Count"]) == len(counties.json())
    named = client.get("/api/v1/users?q=mei", headers=office).json()
    assert "meishan" in [u["username"] for u in named]
    assert all("mei" in u["username"] for u in named)
