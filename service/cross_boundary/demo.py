"""load-demo step: crossings refreshed after the geography, cooperation agreements with 眉山 and
宜宾, and past joint meetings with decided items (all synthetic).

The meetings and decided items are written through the governance module's service functions
(``create_meeting``, ``add_action_item``, ``step_action_item``), never its tables directly. The
step is idempotent: an agreement is found by title, and an agreement that already has joint
meetings (from an earlier run, or from the governance demo) gets none added.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.cross_boundary.crossings import refresh_all
from service.governance.agreements.models import CooperationAgreement
from service.governance.agreements.service import create_agreement
from service.governance.common import DEMO_OFFICE
from service.governance.meetings.models import Meeting
from service.governance.meetings.schemas import ActionItemIn, MeetingIn
from service.governance.meetings.service import add_action_item, create_meeting, step_action_item
from service.officials.models import Official
from service.rivers.models import River
from service.timeutil import today_local


@dataclass(frozen=True)
class DemoItem:
    title: str
    county: str
    due: date
    #: workflow actions already taken, in order (assigned items have none)
    steps: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoMeeting:
    held_on: date
    convener: str
    place: str
    chair: str  # the municipal river chief who chaired for Leshan (demo roster name)
    items: tuple[DemoItem, ...]


@dataclass(frozen=True)
class DemoAgreement:
    title: str
    document_no: str
    signed_on: date
    rotation: tuple[str, ...]
    rivers: tuple[str, ...]
    meetings: tuple[DemoMeeting, ...]


DONE = ("supervise", "progress", "done", "verify")
AGREEMENTS = (
    DemoAgreement(
        title="岷江、青衣江流域乐山—眉山跨界河湖联防联控合作协议（演示）",
        document_no="乐眉河协〔2023〕1号",
        signed_on=date(2023, 8, 15),
        rotation=("511100", "511400"),
        rivers=("岷江", "青衣江"),
        meetings=(
            DemoMeeting(
                date(2024, 3, 20),
                "511100",
                "乐山市市中区",
                "刘建平",
                (
                    DemoItem(
                        "建立岷江青神—市中区入境断面水质月通报", "511102", date(2024, 6, 30), DONE
                    ),
                    DemoItem(
                        "青衣江洪雅—夹江交界段联合清理河道采砂弃料",
                        "511126",
                        date(2024, 9, 30),
                        DONE,
                    ),
                ),
            ),
            DemoMeeting(
                date(2025, 3, 18),
                "511400",
                "眉山市青神县",
                "刘建平",
                (
                    DemoItem(
                        "岷江入境段汛前联合巡河（每季度一次）",
                        "511102",
                        date(2025, 12, 31),
                        ("supervise", "progress"),
                    ),
                    DemoItem(
                        "青衣江夹江段岸线违建联合排查",
                        "511126",
                        date(2025, 8, 31),
                        ("supervise", "progress", "done"),
                    ),
                ),
            ),
            DemoMeeting(
                date(2026, 3, 17),
                "511100",
                "乐山市夹江县",
                "杨丽萍",
                (
                    DemoItem(
                        "共享岷江、青衣江交界段问题清单并按月销号", "511126", date(2026, 6, 30)
                    ),
                    DemoItem(
                        "岷江入境断面漂浮物联合打捞机制",
                        "511102",
                        date(2026, 12, 31),
                        ("supervise",),
                    ),
                ),
            ),
        ),
    ),
    DemoAgreement(
        title="岷江流域乐山—宜宾跨界河湖联防联控合作协议（演示）",
        document_no="乐宜河协〔2023〕2号",
        signed_on=date(2023, 9, 20),
        rotation=("511500", "511100"),
        rivers=("岷江",),
        meetings=(
            DemoMeeting(
                date(2024, 6, 12),
                "511500",
                "宜宾市叙州区",
                "刘建平",
                (
                    DemoItem(
                        "联合打击岷江犍为—叙州交界段非法采砂", "511123", date(2024, 12, 31), DONE
                    ),
                ),
            ),
            DemoMeeting(
                date(2025, 6, 10),
                "511100",
                "乐山市犍为县",
                "刘建平",
                (
                    DemoItem(
                        "岷江出境断面水质自动监测站数据共享",
                        "511123",
                        date(2025, 10, 31),
                        ("supervise", "progress"),
                    ),
                    DemoItem("清理岷江犍为段跨界漂浮物", "511123", date(2025, 9, 30), DONE),
                ),
            ),
        ),
    ),
)


def _meetings(session: Session, agreement_id: int, spec: DemoAgreement, rivers: list[int]) -> int:
    """The agreement's past joint meetings and their decided items, via the governance API."""
    exists = session.scalar(
        select(Meeting.id).where(Meeting.kind == "joint", Meeting.agreement_id == agreement_id)
    )
    if exists is not None:
        return 0
    today = today_local()
    made = 0
    for m in spec.meetings:
        if m.held_on > today:
            continue
        chair = session.scalar(select(Official.id).where(Official.name == m.chair))
        if chair is None:
            continue
        meeting = create_meeting(
            session,
            MeetingIn(
                kind="joint",
                title=f"{m.place}跨界河湖联席会议（{m.held_on.year}年）",
                held_on=m.held_on,
                place=m.place,
                chair_official_id=chair,
                convener_code=m.convener,
                agreement_id=agreement_id,
                river_ids=rivers,
                attendees=["乐山市河长制办公室", f"{m.place}河长制办公室"],
                summary="通报跨界断面水质、边界河段巡河和问题整改情况，商定下一阶段联防联控事项。",
            ),
            DEMO_OFFICE,
            is_synthetic=True,
        )
        for item in m.items:
            row = add_action_item(
                session,
                meeting,
                ActionItemIn(
                    title=item.title, assignee_county=item.county, due_date=item.due, on=m.held_on
                ),
                DEMO_OFFICE,
                is_synthetic=True,
            )
            for n, action in enumerate(item.steps, start=1):
                on = min(today, date.fromordinal(m.held_on.toordinal() + 20 * n))
                note = None if action == "supervise" else f"演示：{item.title}（{action}）"
                step_action_item(session, row, action, DEMO_OFFICE, note=note, on=on)
        made += 1
    return made


def load_demo_cross_boundary(session: Session) -> dict[str, Any]:
    """Refresh crossings after the geography step, then agreements and joint meetings."""
    report: dict[str, Any] = dict(refresh_all(session))
    names = {name: rid for name, rid in session.execute(select(River.name, River.id))}
    agreements = meetings = 0
    for spec in AGREEMENTS:
        rivers = [names[n] for n in spec.rivers if n in names]
        if not rivers:
            continue
        agreement = session.scalar(
            select(CooperationAgreement).where(CooperationAgreement.title == spec.title)
        )
        if agreement is None:
            agreement = create_agreement(
                session,
                title=spec.title,
                document_no=spec.document_no,
                signed_on=spec.signed_on,
                rotation=list(spec.rotation),
                river_ids=rivers,
                notes="演示数据（合成）",
                is_synthetic=True,
            )
            agreements += 1
        meetings += _meetings(session, agreement.id, spec, rivers)
    session.flush()
    report.update(agreements=agreements, joint_meetings=meetings)
    return report
