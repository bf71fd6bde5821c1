"""Cooperation agreements and the rotation of joint-meeting conveners."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.cross_boundary.conftest import river_ids
from tests.support import Headers


def _create(client: TestClient, headers: dict[str, str], **body: Any) -> Any:
    return client.post("/api/v1/cooperation-agreements", json=body, headers=headers)


def test_office_records_an_agreement_in_rotation_order(
    client: TestClient, auth_headers: Headers, db: Session
) -> None:
    rivers = river_ids(db)
    response = _create(
        client,
        auth_headers("office"),
        title="岷江流域联防联控合作协议",
        signed_on="2024-04-01",
        rotation=["511400", "511100", "511500"],
        river_ids=[rivers["岷江"]],
        document_no="乐眉宜河协〔2024〕1号",
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert [(p["code"], p["rotation_order"]) for p in body["parties"]] == [
        ("511400", 1),
        ("511100", 2),
        ("511500", 3),
    ]
    assert [p["name"] for p in body["parties"]] == ["眉山市", "乐山市", "宜宾市"]
    assert body["rivers"] == [{"river_id": rivers["岷江"], "name": "岷江"}]
    got = client.get(f"/api/v1/cooperation-agreements/{body['id']}", headers=auth_headers("chief"))
    assert got.status_code == 200 and got.json()["title"] == "岷江流域联防联控合作协议"


def test_bad_agreements_are_refused_and_nothing_is_written(
    client: TestClient, auth_headers: Headers, db: Session
) -> None:
    office = auth_headers("office")
    rivers = river_ids(db)
    ok = {"title": "x", "signed_on": "2024-01-01", "river_ids": [rivers["岷江"]]}
    cases = [
        ({"rotation": ["511400", "511500"]}, "focus city"),  # Leshan missing
        ({"rotation": ["511100", "511102"]}, "511102"),  # a Leshan county is no neighbour
        ({"rotation": ["511100", "511400", "511400"]}, "twice"),
        ({"rotation": ["511100", "511400"], "river_ids": [999999]}, "999999"),
        ({"rotation": ["511100", "511400"], "valid_until": "2023-01-01"}, "valid_until"),
    ]
    before = client.get("/api/v1/cooperation-agreements", headers=office).json()
    for extra, needle in cases:
        response = _create(client, office, **(ok | extra))
        assert response.status_code == 422, extra
        assert needle in response.text, (extra, response.text)
    assert client.get("/api/v1/cooperation-agreements", headers=office).json() == before
    denied = _create(client, auth_headers("chief"), **(ok | {"rotation": ["511100", "511400"]}))
    assert denied.status_code == 403


def test_next_convener_follows_the_rotation(
    client: TestClient, auth_headers: Headers, db: Session, joint_meeting: Callable[..., Any]
) -> None:
    office = auth_headers("office")
    rivers = river_ids(db)
    agreement = _create(
        client,
        office,
        title="乐山眉山宜宾协议",
        signed_on="2024-02-01",
        rotation=["511100", "511400", "511500"],
        river_ids=[rivers["岷江"]],
        meeting_interval_months=6,
    ).json()
    url = f"/api/v1/joint-meetings/next?agreement_id={agreement['id']}"
    first = client.get(url, headers=office).json()
    assert first["last_meeting"] is None
    assert (first["next_convener_code"], first["due_on"]) == ("511100", "2024-02-01")
    joint_meeting(agreement["id"], date(2024, 5, 10), "511100")
    after_one = client.get(url, headers=office).json()
    assert after_one["next_convener_code"] == "511400"
    assert after_one["next_convener_name"] == "眉山市"
    assert after_one["due_on"] == "2024-11-10"
    joint_meeting(agreement["id"], date(2024, 11, 30), "511400")
    joint_meeting(agreement["id"], date(2025, 8, 31), "511500")
    wrapped = client.get(url, headers=office).json()
    assert wrapped["last_meeting"]["convener_code"] == "511500"
    assert wrapped["next_convener_code"] == "511100"  # back to the start
    assert wrapped["due_on"] == "2026-02-28"  # 31 August + 6 months, clamped to February
    assert (
        client.get("/api/v1/joint-meetings/next?agreement_id=999999", headers=office).status_code
        == 404
    )
    assert client.get("/api/v1/joint-meetings/next", headers=office).status_code == 422


def test_neighbour_viewer_sees_only_its_agreements(
    client: TestClient, auth_headers: Headers, db: Session
) -> None:
    office = auth_headers("office")
    rivers = river_ids(db)
    meishan = _create(
        client,
        office,
        title="乐眉",
        signed_on="2024-01-01",
        rotation=["511100", "511400"],
        river_ids=[rivers["青衣江"]],
    ).json()
    yibin = _create(
        client,
        office,
        title="乐宜",
        signed_on="2024-01-01",
        rotation=["511500", "511100"],
        river_ids=[rivers["岷江"]],
    ).json()
    viewer = auth_headers("meishan")
    listed = client.get("/api/v1/cooperation-agreements", headers=viewer).json()
    assert {a["id"] for a in listed} == {meishan["id"]}
    assert (
        client.get(f"/api/v1/cooperation-agreements/{yibin['id']}", headers=viewer).status_code
        == 403
    )
    assert (
        client.get(
            f"/api/v1/joint-meetings/next?agreement_id={yibin['id']}", headers=viewer
        ).status_code
        == 403
    )
    assert (
        client.get(
            f"/api/v1/joint-meetings/next?agreement_id={meishan['id']}", headers=viewer
        ).status_code
        == 200
    )
    assert client.get("/api/v1/cooperation-agreements").status_code == 401


def test_demo_step_adds_agreements_and_joint_meetings_once(
    client: TestClient, auth_headers: Headers, db: Session
) -> None:
    from service.cross_boundary.demo import load_demo_cross_boundary

    first = load_demo_cross_boundary(db)
    assert first["shared_borders"] == 5 and first["crossings"] == 11  # 3 of 马边河
    assert (first["agreements"], first["joint_meetings"]) == (2, 5)
    again = load_demo_cross_boundary(db)
    assert (again["agreements"], again["joint_meetings"]) == (0, 0)
    office = auth_headers("office")
    agreements = {
        next(p["code"] for p in a["parties"] if p["code"] != "511100"): a
        for a in client.get("/api/v1/cooperation-agreements", headers=office).json()
    }
    assert set(agreements) == {"511400", "511500"}
    assert all(a["is_synthetic"] for a in agreements.values())
    assert [r["name"] for r in agreements["511400"]["rivers"]] == ["岷江", "青衣江"]
    meishan = client.get(
        f"/api/v1/joint-meetings/next?agreement_id={agreements['511400']['id']}", headers=office
    ).json()
    # Leshan convened in March 2026, so 眉山 is next, a year later.
    assert (meishan["next_convener_code"], meishan["due_on"]) == ("511400", "2027-03-17")
    yibin = client.get(
        f"/api/v1/joint-meetings/next?agreement_id={agreements['511500']['id']}", headers=office
    ).json()
    assert (yibin["next_convener_code"], yibin["due_on"]) == ("511500", "2026-06-10")
    view = client.get("/api/v1/cross-boundary/511400", headers=auth_headers("meishan")).json()
    assert len(view["meetings"]) == 3
    assert all(m["is_synthetic"] for m in view["meetings"])
    open_items = {i["title"]: i for i in view["open_action_items"]}
    # verified items are finished; assigned / supervised / in progress / done are open
    assert "建立岷江青神—市中区入境断面水质月通报" not in open_items
    assert open_items["岷江入境段汛前联合巡河（每季度一次）"]["state"] == "in_progress"
    assert open_items["青衣江夹江段岸线违建联合排查"]["state"] == "done"
    assert len(open_items) == 4


def test_office_corrects_and_deletes_agreements(
    client: TestClient, auth_headers: Headers, db: Session, joint_meeting: Callable[..., Any]
) -> None:
    office = auth_headers("office")
    rivers = river_ids(db)
    made = _create(
        client,
        office,
        title="草稿",
        signed_on="2024-01-01",
        rotation=["511100", "511400"],
        river_ids=[rivers["岷江"]],
    ).json()
    url = f"/api/v1/cooperation-agreements/{made['id']}"
    changed = client.patch(
        url,
        headers=office,
        json={
            "title": "岷江协议",
            "rotation": ["511400", "511100"],
            "river_ids": [rivers["岷江"], rivers["青衣江"]],
            "notes": None,
        },
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["title"] == "岷江协议" and body["signed_on"] == "2024-01-01"
    assert [p["code"] for p in body["parties"]] == ["511400", "511100"]
    assert {r["name"] for r in body["rivers"]} == {"岷江", "青衣江"}
    for bad in (
        {"title": None},
        {"rotation": ["511400"]},
        {"valid_until": "2020-01-01"},
        {"river_ids": [999999]},
        {"colour": "red"},
    ):
        assert client.patch(url, headers=office, json=bad).status_code == 422, bad
    assert client.get(url, headers=office).json() == body  # nothing half-written
    assert client.patch(url, headers=auth_headers("chief"), json={"title": "x"}).status_code == 403
    joint_meeting(made["id"], date(2024, 6, 1), "511400")
    kept = client.delete(url, headers=office)
    assert kept.status_code == 409 and "1 joint meeting" in kept.json()["detail"]
    spare = _create(
        client,
        office,
        title="重复录入",
        signed_on="2024-01-01",
        rotation=["511100", "511500"],
        river_ids=[rivers["岷江"]],
    ).json()
    spare_url = f"/api/v1/cooperation-agreements/{spare['id']}"
    assert client.delete(spare_url, headers=office).status_code == 204
    assert client.get(spare_url, headers=office).status_code == 404
    assert client.delete(spare_url, headers=office).status_code == 404
