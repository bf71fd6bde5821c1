"""Helpers for the water-quality tests: register sections and import readings through the API.

Points hand-checked against the shipped geography: BESIDE_DADU (103.6262, 29.3396) lies in
沙湾区 56 m from 大渡河 segment ord 11 (see tests/problems/conftest.py). The crossings are the
computed ones (table ``crossing``): 岷江 enters from 眉山 (seq 1) and leaves for 宜宾 (seq 2).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.cross_boundary.models import Crossing
from service.rivers.models import Segment
from service.timeutil import today_local
from tests.support import Headers, river_id

BESIDE_DADU = (103.6262, 29.3396)
HEADERS = ["断面编码", "断面名称", "监测日期", "溶解氧(mg/L)", "高锰酸盐指数(mg/L)", "氨氮(mg/L)",
           "总磷(mg/L)"]  # fmt: skip
#: The issue's hand-checked reading: DO III, CODMn III, NH3-N IV, TP III -> IV.
FAILING = (5.5, 4.5, 1.2, 0.15)
#: A reading of class II (DO 7, CODMn 3, NH3-N 0.4, TP 0.08).
CLEAN = (7.0, 3.0, 0.4, 0.08)

Register = Callable[..., Any]
Import = Callable[..., Any]


def month_ago(n: int) -> date:
    """The 5th of the month ``n`` months before this one (always in the past for n >= 1)."""
    month = today_local().replace(day=1)
    for _ in range(n):
        month = (month - timedelta(days=1)).replace(day=1)
    return month.replace(day=5)


def xlsx(rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADERS) -> bytes:
    """A workbook with Chinese headers, written as the bureau's would be (openpyxl)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "监测数据"
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def crossing_point(db: Session, river: str, direction: str, neighbor: str) -> tuple[float, float]:
    geom = (
        select(Crossing.geom)
        .where(
            Crossing.river_id == river_id(db, river),
            Crossing.direction == direction,
            Crossing.neighbor_code == neighbor,
        )
        .order_by(Crossing.seq)
        .limit(1)
        .scalar_subquery()
    )
    lon, lat = db.execute(select(func.ST_X(geom), func.ST_Y(geom))).one()
    return float(lon), float(lat)


def segment_of(db: Session, river: str, ord_: int) -> Segment:
    found = db.scalar(
        select(Segment).where(Segment.river_id == river_id(db, river), Segment.ord == ord_)
    )
    assert found is not None
    return found


@pytest.fixture
def register(client: TestClient, auth_headers: Headers) -> Register:
    """``register(code, point, **fields)`` -> the response of POST /api/v1/sections."""

    def post(code: str, point: tuple[float, float], as_: str = "office", **fields: Any) -> Any:
        body = {
            "name": f"测试断面{code}",
            "code": code,
            "kind": "provincial",
            "lon": point[0],
            "lat": point[1],
            "target_class": 3,
            "operator": "乐山市生态环境监测站",
            **fields,
        }
        return client.post("/api/v1/sections", json=body, headers=auth_headers(as_))

    return post


@pytest.fixture
def import_file(client: TestClient, auth_headers: Headers) -> Import:
    """``import_file(content, name="r.xlsx", dry_run=False)`` -> the import response."""

    def post(content: bytes, name: str = "readings.xlsx", dry_run: bool = False) -> Any:
        return client.post(
            "/api/v1/sections/readings/import",
            files={"file": (name, content, "application/octet-stream")},
            data={"dry_run": "true" if dry_run else "false"},
            headers=auth_headers("office"),
        )

    return post
