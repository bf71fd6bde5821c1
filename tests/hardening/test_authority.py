"""Class 8: approving lists and plans is checked against who is responsible today.

On the code issue 14 started from: the approving chief was the one responsible on the ``on``
day of the request, so a chief replaced years ago approved this year's lists with
``{"on": "2020-06-01"}``; and ``on`` could be in the future.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from service.auth.service import create_user
from service.auth.tokens import issue_token
from service.officials.models import Assignment, Official
from service.timeutil import today_local
from tests.hardening.conftest import Headers
from tests.support import river_id


@pytest.fixture
def former_chief(db: Session) -> Iterator[dict[str, str]]:
    """A chief of 岷江 from 2020 until the demo roster's chief took over (2023-05-18)."""
    official = Official(name="前任河长", title="原副市长、岷江市级河长")
    db.add(official)
    db.flush()
    db.add(
        Assignment(
            river_id=river_id(db, "岷江"),
            official_id=official.id,
            role="river_chief",
            level="city",
            valid_from=date(2020, 1, 1),
            valid_to=date(2023, 5, 17),
        )
    )
    user = create_user(db, "h14_former", "former-chief-pw", "chief", official_id=official.id)
    yield {"Authorization": f"Bearer {issue_token(user.id, user.token_version)}"}


def test_a_replaced_chief_cannot_approve_by_dating_back(
    client: TestClient, db: Session, auth_headers: Headers, former_chief: dict[str, str]
) -> None:
    rid = river_id(db, "岷江")
    lists = f"/api/v1/rivers/{rid}/annual-lists/2026"
    assert (
        client.put(
            lists, json={"targets": [{"content": "水质达标"}]}, headers=auth_headers("office")
        ).status_code
        == 200
    )
    r = client.post(f"{lists}/approve", json={"on": "2020-06-01"}, headers=former_chief)
    assert r.status_code in (403, 422), r.text
    assert client.post(f"{lists}/approve", json={}, headers=former_chief).status_code == 403
    tomorrow = (today_local() + timedelta(days=1)).isoformat()
    r = client.post(f"{lists}/approve", json={"on": tomorrow}, headers=auth_headers("chief"))
    assert r.status_code == 422 and r.json()["code"] == "date_in_future", r.text
    yesterday = (today_local() - timedelta(days=1)).isoformat()
    r = client.post(f"{lists}/approve", json={"on": yesterday}, headers=auth_headers("chief"))
    assert r.status_code == 422 and r.json()["code"] == "date_before_draft", r.text
    ok = client.post(f"{lists}/approve", json={}, headers=auth_headers("chief"))
    assert ok.status_code == 200 and ok.json()["state"] == "approved", ok.text


def test_plans_too(
    client: TestClient, db: Session, auth_headers: Headers, former_chief: dict[str, str]
) -> None:
    rid = river_id(db, "岷江")
    plan = client.post(
        f"/api/v1/rivers/{rid}/plans",
        json={"title": "岷江一河一策（2031—2035年）", "period_start": 2031, "period_end": 2035},
        headers=auth_headers("office"),
    )
    assert plan.status_code == 201, plan.text
    url = f"/api/v1/river-plans/{plan.json()['id']}/approve"
    r = client.post(url, json={"on": "2021-03-01"}, headers=former_chief)
    assert r.status_code in (403, 422), r.text
    assert client.post(url, json={}, headers=former_chief).status_code == 403
    assert client.post(url, json={}, headers=auth_headers("chief")).status_code == 200
