"""Fixtures for the cross-boundary tests: a real server for the browser, committed data for it,
and helpers that build patrols, problems and joint meetings through the owning modules' APIs.

The browser needs a separate server that only sees committed rows. ``brief_server`` runs
uvicorn in a background thread on 127.0.0.1 (a free port) over this session's test database;
``committed_agreement`` commits one agreement for it and deletes it afterwards, so the
rolled-back tests of everyone else never see it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from tests.support import live_app


@pytest.fixture(scope="session")
def brief_server(database_url: str) -> Iterator[str]:
    """Base URL of a riverchief server over the session's test database (committed data)."""
    with live_app("/healthz") as base:
        yield base


@pytest.fixture
def committed_agreement(engine: Engine) -> Iterator[int]:
    """One agreement with 眉山 (岷江, 青衣江), committed for the server; deleted afterwards."""
    from service.governance.agreements.models import CooperationAgreement
    from service.governance.agreements.service import create_agreement
    from service.rivers.models import River

    with Session(engine) as session:
        ids = list(session.scalars(select(River.id).where(River.name.in_(["岷江", "青衣江"]))))
        agreement = create_agreement(
            session,
            title="测试协议（浏览器）",
            signed_on=date(2024, 3, 1),
            rotation=["511100", "511400"],
            river_ids=ids,
        )
        session.commit()
        agreement_id = agreement.id
    try:
        yield agreement_id
    finally:
        with Session(engine) as session:
            session.execute(
                delete(CooperationAgreement).where(CooperationAgreement.id == agreement_id)
            )
            session.commit()


def river_ids(db: Session) -> dict[str, int]:
    from service.rivers.models import River

    return {name: rid for name, rid in db.execute(select(River.name, River.id))}


def gpx_along(coords: list[list[float]], start: datetime, step_s: int = 60) -> bytes:
    """A GPX track through ``coords`` (lon, lat), one fix every ``step_s`` seconds."""
    points = "".join(
        f'<trkpt lat="{lat:.6f}" lon="{lon:.6f}"><time>'
        f"{(start + timedelta(seconds=i * step_s)).strftime('%Y-%m-%dT%H:%M:%SZ')}</time></trkpt>"
        for i, (lon, lat) in enumerate(coords)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1" creator="test" '
        'xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
        f"{points}</trkseg></trk></gpx>"
    ).encode()


def densify(coords: list[list[float]], per_edge: int = 4) -> list[list[float]]:
    """Extra points between vertices, so the fixes are a few hundred metres apart."""
    out: list[list[float]] = []
    for (x1, y1), (x2, y2) in itertools.pairwise(coords):
        out += [
            [x1 + (x2 - x1) * k / per_edge, y1 + (y2 - y1) * k / per_edge] for k in range(per_edge)
        ]
    out.append(coords[-1])
    return out


@pytest.fixture
def joint_meeting(db: Session) -> Callable[..., Any]:
    """``joint_meeting(agreement_id, held_on, convener_code, items=[(title, due)])`` through
    the governance module's own service functions (never its tables directly)."""
    from service.governance.common import DEMO_OFFICE
    from service.governance.meetings.schemas import ActionItemIn, MeetingIn
    from service.governance.meetings.service import add_action_item, create_meeting
    from service.officials.models import Official

    def make(
        agreement_id: int,
        held_on: date,
        convener_code: str,
        items: tuple[tuple[str, date], ...] = (),
    ) -> Any:
        chair = db.scalar(select(Official.id).where(Official.name == "刘建平"))
        assert chair is not None
        meeting = create_meeting(
            db,
            MeetingIn(
                kind="joint",
                title=f"联席会议 {held_on}",
                held_on=held_on,
                place="测试地点",
                chair_official_id=chair,
                convener_code=convener_code,
                agreement_id=agreement_id,
                river_ids=[river_ids(db)["岷江"]],
                attendees=["乐山市河长办", "眉山市河长办"],
            ),
            DEMO_OFFICE,
        )
        for title, due in items:
            add_action_item(
                db,
                meeting,
                ActionItemIn(title=title, assignee_county="511102", due_date=due, on=held_on),
                DEMO_OFFICE,
            )
        return meeting

    return make
