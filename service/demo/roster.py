"""A fictional but realistic roster for the Leshan demo.

Every person here is invented (``is_demo``); titles follow the usual pattern of Sichuan
cities: the Party secretary is the general chief, the mayor the deputy, vice-mayors and other
city leaders are the municipal river chiefs, vice-heads of counties the county chiefs.
Assignments are valid from 2023-05-18, the date the coordination mechanism was issued.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from service.areas.models import AdminArea
from service.officials.models import Assignment, Department, LiaisonUnit, Official
from service.reaches.models import Reach
from service.rivers.models import River

DEMO_START = date(2023, 5, 18)

GENERAL_CHIEF = ("周文昌", "市委书记、市总河长")
DEPUTY_GENERAL_CHIEF = ("吴海峰", "市长、市副总河长")
#: river -> (municipal chief, title, liaison unit)
MUNICIPAL = {
    "岷江": ("刘建平", "副市长、岷江市级河长", "市水务局"),
    "大渡河": ("陈晓东", "市人大常委会副主任、大渡河市级河长", "市生态环境局"),
    "青衣江": ("杨丽萍", "副市长、青衣江市级河长", "市自然资源和规划局"),
}
#: Rivers led by their counties' chiefs: the seed's municipal chiefs hold the three main rivers
#: only; 马边河 and 官料河 (from the 1:4M layer, issue 18) get county chiefs and below.
COUNTY_LED = ("马边河", "官料河")
DEPARTMENTS = (
    "市水务局",
    "市生态环境局",
    "市自然资源和规划局",
    "市农业农村局",
    "市住房和城乡建设局",
    "市交通运输局",
    "市公安局",
)
#: Fictional surnames and given names for county chiefs (combined deterministically).
_SURNAMES = "王李张赵黄何罗郭马林宋谢唐韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
_GIVEN = ("明", "军", "华", "强", "勇", "静", "磊", "洋", "艳", "涛", "斌", "波", "敏", "杰", "丽")


def _official(session: Session, name: str, title: str) -> Official:
    found = session.scalar(select(Official).where(Official.name == name, Official.title == title))
    if found:
        return found
    official = Official(name=name, title=title, is_demo=True)
    session.add(official)
    session.flush()
    return official


def _unit(session: Session, name: str) -> LiaisonUnit:
    found = session.scalar(select(LiaisonUnit).where(LiaisonUnit.name == name))
    if found:
        return found
    unit = LiaisonUnit(name=name, is_demo=True)
    session.add(unit)
    session.flush()
    return unit


def _assign(session: Session, **fields: object) -> None:
    """Add an assignment unless an identical open one exists (keeps load-demo idempotent)."""
    stmt = select(Assignment).where(Assignment.valid_from == DEMO_START)
    for key, value in fields.items():
        column = getattr(Assignment, key)
        stmt = stmt.where(column.is_(None) if value is None else column == value)
    if session.scalar(stmt) is None:
        session.add(Assignment(valid_from=DEMO_START, is_demo=True, **fields))


def _reaches(
    session: Session, river_id: int, level: str, admin_code: str | None = None
) -> list[Reach]:
    """The river's reaches of ``level`` in force when the demo roster starts, upstream first."""
    stmt = select(Reach).where(
        Reach.river_id == river_id,
        Reach.level == level,
        Reach.valid_from <= DEMO_START,
        or_(Reach.valid_to.is_(None), Reach.valid_to >= DEMO_START),
    )
    if admin_code is not None:
        stmt = stmt.where(Reach.admin_code == admin_code)
    return list(session.scalars(stmt.order_by(Reach.from_m)).all())


def _municipal(session: Session, river: River, chief_name: str, title: str, unit: str) -> None:
    """The municipal chief and liaison unit of ``river``, holding its city reach."""
    chief = _official(session, chief_name, title)
    liaison = _unit(session, unit)
    for city in _reaches(session, river.id, "city"):
        _assign(
            session,
            official_id=chief.id,
            role="river_chief",
            level="city",
            river_id=river.id,
            reach_id=city.id,
        )
        _assign(
            session,
            liaison_unit_id=liaison.id,
            role="liaison_unit",
            river_id=river.id,
            reach_id=city.id,
        )


def load_roster(session: Session) -> dict[str, int]:
    """General chiefs, municipal and county chiefs, liaison units and departments; the
    municipal chief and unit hold the city reach, a county chief every county reach of the
    county on the river."""
    for name in DEPARTMENTS:
        if not session.scalar(select(Department).where(Department.name == name)):
            session.add(Department(name=name, is_demo=True))
    general = _official(session, *GENERAL_CHIEF)
    deputy = _official(session, *DEPUTY_GENERAL_CHIEF)
    _assign(session, official_id=general.id, role="general_chief", river_id=None, level=None)
    _assign(session, official_id=deputy.id, role="deputy_general_chief", river_id=None, level=None)
    county_names = dict(
        session.execute(
            select(AdminArea.code, AdminArea.name).where(AdminArea.role == "focus_county")
        ).all()
    )
    counter = 0
    for river_name in (*MUNICIPAL, *COUNTY_LED):
        river = session.scalar(select(River).where(River.name == river_name))
        if river is None:
            continue
        if river_name in MUNICIPAL:
            _municipal(session, river, *MUNICIPAL[river_name])
        # One county chief per county the river crosses, holding its reaches there.
        counties = sorted({r.admin_code for r in _reaches(session, river.id, "county")})
        for code in counties:
            name = _SURNAMES[counter % len(_SURNAMES)] + _GIVEN[(counter * 7) % len(_GIVEN)]
            name += _GIVEN[(counter * 3 + 1) % len(_GIVEN)] if counter % 3 else ""
            counter += 1
            county_chief = _official(
                session,
                name,
                f"{county_names[code]}副县（区、市）长、{river_name}{county_names[code]}段河长",
            )
            for reach in _reaches(session, river.id, "county", code):
                _assign(
                    session,
                    official_id=county_chief.id,
                    role="river_chief",
                    level="county",
                    river_id=river.id,
                    county_code=code,
                    reach_id=reach.id,
                )
    session.flush()
    return {
        "officials": session.query(Official).count(),
        "liaison_units": session.query(LiaisonUnit).count(),
        "assignments": session.query(Assignment).count(),
    }
