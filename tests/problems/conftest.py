"""Helpers for problem tests: points hand-checked against the shipped Leshan geography.

BESIDE_DADU (103.6262, 29.3396) lies in 沙湾区 (511111), 56 m from 大渡河 segment ord 11
(closest point 103.626142, 29.339095: 0.000505 deg of latitude = 56.0 m north-south, 5.6 m
east-west). IN_MEISHAN is a point on the surface of 眉山市 (in 青神县). OFF_RIVER lies in
马边彝族自治县 (511133), 11 km from the nearest registered river (马边河).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

BESIDE_DADU = (103.6262, 29.3396)
IN_MEISHAN = (103.82583, 29.81763)
OFF_RIVER = (103.50, 29.05)

Report = Callable[..., Any]


@pytest.fixture
def report(client: TestClient, auth_headers: Callable[[str], dict[str, str]]) -> Report:
    """``report(as_="patrol", **fields)`` -> the response of POST /api/v1/problems."""

    def post(as_: str = "patrol", **fields: Any) -> Any:
        lon, lat = fields.pop("point", BESIDE_DADU)
        body = {
            "lon": lon,
            "lat": lat,
            "datum": "wgs84",
            "category": "garbage",
            "description": "岸边堆放生活垃圾",
            "observed_at": "2026-03-02T10:30:00+08:00",
        }
        body.update(fields)
        return client.post("/api/v1/problems", json=body, headers=auth_headers(as_))

    return post


@pytest.fixture
def act(client: TestClient, auth_headers: Callable[[str], dict[str, str]]) -> Report:
    """``act(problem_id, "assign", as_="office", **fields)`` -> the transition response."""

    def post(problem_id: int, action: str, as_: str = "office", **fields: Any) -> Any:
        return client.post(
            f"/api/v1/problems/{problem_id}/transitions",
            json={"action": action, **fields},
            headers=auth_headers(as_),
        )

    return post
