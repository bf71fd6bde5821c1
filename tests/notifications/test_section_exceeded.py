"""断面水质未达标: a section worse than its target (issue 20) reaches the office's group once
per section and month, through the event the water-quality import emits; demo data never."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.notifications.models import OutboxRow
from service.timeutil import today_local
from service.water_quality.exceedance import check_sections
from service.water_quality.models import Section
from tests.notifications.conftest import BESIDE_DADU, Headers
from tests.notifications.servers import DingTalkRobot


def _xlsx(code: str, day: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["断面编码", "监测日期", "溶解氧(mg/L)", "氨氮(mg/L)", "总磷(mg/L)"])
    ws.append([code, day, 5.5, 1.2, 0.15])  # NH3-N IV decides
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_an_exceedance_posts_once_to_the_group(
    client: TestClient,
    auth_headers: Headers,
    db: Session,
    dingtalk: DingTalkRobot,
    run: Callable[..., Any],
) -> None:
    office = auth_headers("office")
    body = {"name": "通知测试", "code": "T-NOTIFY", "kind": "county", "lon": BESIDE_DADU[0],
            "lat": BESIDE_DADU[1], "target_class": 3}  # fmt: skip
    section = client.post("/api/v1/sections", json=body, headers=office).json()
    day = (today_local().replace(day=1) - timedelta(days=1)).replace(day=5)
    got = client.post(
        "/api/v1/sections/readings/import",
        files={"file": ("r.xlsx", _xlsx("T-NOTIFY", day.isoformat()), "application/octet-stream")},
        headers=office,
    )
    assert got.status_code == 200, got.text
    key = f"section_below_target:{section['id']}:{day:%Y-%m}"
    rows = list(db.scalars(select(OutboxRow).where(OutboxRow.event_key == key)))
    assert [r.channel for r in rows] == ["dingtalk"]
    report = run()
    assert report.failed == 0 and len(dingtalk.messages) == 1
    text = dingtalk.messages[0]["markdown"]["text"]
    assert "通知测试" in text and "Ⅳ" in text and "Ⅲ" in text
    # The same month checked again queues nothing more.
    row = db.get(Section, section["id"])
    assert row is not None
    assert check_sections(db, {row.id: {day.replace(day=1)}}, None) == []
    assert len(list(db.scalars(select(OutboxRow).where(OutboxRow.event_key == key)))) == 1


def test_demo_exceedances_notify_nobody(
    db: Session, client: TestClient, auth_headers: Headers, dingtalk: DingTalkRobot
) -> None:
    from service.water_quality.readings import import_readings
    from service.workflow import SystemActor

    office = auth_headers("office")
    body = {"name": "演示", "code": "T-DEMO-N", "kind": "county", "lon": BESIDE_DADU[0],
            "lat": BESIDE_DADU[1], "target_class": 3}  # fmt: skip
    section = client.post("/api/v1/sections", json=body, headers=office).json()
    day = (today_local().replace(day=1) - timedelta(days=1)).replace(day=6)
    found = import_readings(
        db, "demo.xlsx", _xlsx("T-DEMO-N", day.isoformat()), SystemActor(), synthetic=True
    ).exceedances
    assert len(found) == 1 and found[0].is_synthetic
    key = f"section_below_target:{section['id']}:{day:%Y-%m}"
    assert list(db.scalars(select(OutboxRow).where(OutboxRow.event_key == key))) == []
