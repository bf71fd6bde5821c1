"""Roster reads are public; writes are office-only; assignments keep history."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.support import Headers


def river_id(client: TestClient, name: str) -> int:
    return next(r["id"] for r in client.get("/api/v1/rivers").json() if r["name"] == name)


def test_reads_are_public(client: TestClient) -> None:
    officials = client.get("/api/v1/officials")
    assert officials.status_code == 200 and int(officials.headers["X-Total-Count"]) >= 5
    assert all(o["is_demo"] for o in officials.json())
    units = {u["name"] for u in client.get("/api/v1/liaison-units").json()}
    assert {"市水务局", "市生态环境局", "市自然资源和规划局"} <= units


def test_writes_need_office(client: TestClient, auth_headers: Headers) -> None:
    body = {"name": "赵测试", "title": "副市长"}
    assert client.post("/api/v1/officials", json=body).status_code == 401
    for role in ("chief", "liaison", "county", "patrol", "meishan"):
        assert (
            client.post("/api/v1/officials", json=body, headers=auth_headers(role)).status_code
            == 403
        )
    created = client.post("/api/v1/officials", json=body, headers=auth_headers("office"))
    assert created.status_code == 201 and created.json()["name"] == "赵测试"
    assert client.post("/api/v1/liaison-units", json={"name": "市林业局"}).status_code == 401
    unit = client.post(
        "/api/v1/liaison-units", json={"name": "市林业局"}, headers=auth_headers("office")
    )
    assert unit.status_code == 201
    dup = client.post(
        "/api/v1/liaison-units", json={"name": "市林业局"}, headers=auth_headers("office")
    )
    assert dup.status_code == 409


def test_assignment_history_answers_who_was_responsible(
    client: TestClient, auth_headers: Headers
) -> None:
    office = auth_headers("office")
    min_river = river_id(client, "岷江")
    old_chief = client.get(f"/api/v1/rivers/{min_river}").json()["chiefs"][0]
    assert old_chief["name"] == "刘建平"
    new = client.post(
        "/api/v1/officials", json={"name": "孙接任", "title": "副市长"}, headers=office
    ).json()
    ended = client.post(
        f"/api/v1/assignments/{old_chief['assignment_id']}/end",
        json={"valid_to": "2026-03-31"},
        headers=office,
    )
    assert ended.status_code == 200 and ended.json()["valid_to"] == "2026-03-31"
    made = client.post(
        "/api/v1/assignments",
        headers=office,
        json={
            "river_id": min_river,
            "official_id": new["id"],
            "role": "river_chief",
            "level": "city",
            "valid_from": "2026-04-01",
        },
    )
    assert made.status_code == 201
    on_march = client.get(f"/api/v1/rivers/{min_river}", params={"on": "2026-03-31"}).json()
    on_april = client.get(f"/api/v1/rivers/{min_river}", params={"on": "2026-04-01"}).json()
    assert on_march["chiefs"][0]["name"] == "刘建平"
    assert on_april["chiefs"][0]["name"] == "孙接任"
    assert "刘建平" not in [c["name"] for c in on_april["chiefs"]]


def test_assignment_validation(client: TestClient, auth_headers: Headers) -> None:
    office = auth_headers("office")
    min_river = river_id(client, "岷江")
    both = {
        "river_id": min_river,
        "official_id": 1,
        "liaison_unit_id": 1,
        "role": "river_chief",
        "level": "city",
        "valid_from": "2026-01-01",
    }
    assert client.post("/api/v1/assignments", json=both, headers=office).status_code == 422
    no_level = {
        "river_id": min_river,
        "official_id": 1,
        "role": "river_chief",
        "valid_from": "2026-01-01",
    }
    assert client.post("/api/v1/assignments", json=no_level, headers=office).status_code == 422
    bad_river = {
        "river_id": 999999,
        "official_id": 1,
        "role": "river_chief",
        "level": "city",
        "valid_from": "2026-01-01",
    }
    assert client.post("/api/v1/assignments", json=bad_river, headers=office).status_code == 404
    backwards = {
        "river_id": min_river,
        "official_id": 1,
        "role": "river_chief",
        "level": "city",
        "valid_from": "2026-01-01",
        "valid_to": "2025-01-01",
    }
    assert client.post("/api/v1/assignments", json=backwards, headers=office).status_code == 422
    assert (
        client.post(
            "/api/v1/assignments/999999/end", json={"valid_to": "2026-01-01"}, headers=office
        ).status_code
        == 404
    )
