"""Demo: monitoring sections where 岷江, 青衣江 and 大渡河 cross the city boundary and inside
the city, and a synthetic year of monthly readings (all marked synthetic).

Border sections sit at the computed crossings (``crossing``: 岷江 enters from 眉山 and leaves
for 宜宾, 青衣江 enters from 眉山, 大渡河 enters from 雅安); the others in the middle of a
county's segment. The names are those of Leshan's assessment sections as the bureau's
bulletins use them; their positions, targets and every reading here are synthetic.

The readings go through the spreadsheet importer month by month (a CSV per month, imported
as of the 15th), so the demo walks the same path as the office: 悦来渡口 receives water worse
than its target from 眉山 in two months running (a problem for the first reach of the city,
then 督办, and items for the next joint meeting with 眉山), and 岷江大桥 fails once.
"""

from __future__ import annotations

import csv
import io
import math
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.cross_boundary.models import Crossing
from service.rivers.models import River, Segment
from service.timeutil import LOCAL_TZ, today_local
from service.water_quality.models import Section
from service.water_quality.readings import import_readings
from service.water_quality.registry import register_section
from service.water_quality.schemas import SectionIn
from service.workflow import SystemActor

OPERATOR = "乐山市生态环境监测站（演示）"


@dataclass(frozen=True)
class DemoSection:
    code: str
    name: str
    kind: str
    river: str
    target_class: int
    #: Where: a crossing of the river ("inflow:511400") or the middle of its segment in a
    #: county ("county:511102").
    at: str
    #: Typical values (mg/L): DO, CODMn, NH3-N, TP; the month's are drawn around them.
    base: tuple[float, float, float, float]
    #: Months (1-12) when the values are pushed past the target.
    bad_months: tuple[int, ...] = ()


SECTIONS = (
    DemoSection("DEMO-MJ-01", "悦来渡口", "national", "岷江", 3, "inflow:511400",
                (7.8, 2.6, 0.45, 0.12), bad_months=(-3, -2)),
    DemoSection("DEMO-MJ-02", "岷江大桥", "provincial", "岷江", 3, "county:511102",
                (7.4, 2.9, 0.38, 0.11), bad_months=(-6,)),
    DemoSection("DEMO-MJ-03", "河口渡口", "national", "岷江", 3, "outflow:511500",
                (7.6, 2.7, 0.30, 0.10)),
    DemoSection("DEMO-QY-01", "木城镇", "border", "青衣江", 2, "inflow:511400",
                (8.6, 1.8, 0.12, 0.05)),
    DemoSection("DEMO-DD-01", "三谷庄", "border", "大渡河", 2, "inflow:511800",
                (8.8, 1.6, 0.10, 0.04)),
    DemoSection("DEMO-DD-02", "李码头", "provincial", "大渡河", 3, "county:511102",
                (8.1, 2.1, 0.22, 0.08)),
    DemoSection("DEMO-DD-03", "沙湾大桥", "county", "大渡河", 3, "county:511111",
                (8.3, 1.9, 0.18, 0.07)),
)  # fmt: skip


def _point(session: Session, river_id: int, at: str) -> tuple[float, float] | None:
    how, _, code = at.partition(":")
    if how in ("inflow", "outflow"):
        geom = session.scalar(
            select(Crossing.geom)
            .where(
                Crossing.river_id == river_id,
                Crossing.direction == how,
                Crossing.neighbor_code == code,
            )
            .order_by(Crossing.seq)
            .limit(1)
        )
    else:
        geom = session.scalar(
            select(func.ST_LineInterpolatePoint(Segment.geom, 0.5))
            .where(Segment.river_id == river_id, Segment.county_code == code)
            .order_by(Segment.length_m.desc())
            .limit(1)
        )
    if geom is None:
        return None
    lon, lat = session.execute(select(func.ST_X(geom), func.ST_Y(geom))).one()
    return float(lon), float(lat)


def _months(today: date) -> list[date]:
    """The 12 months up to this one (this one only if its 8th has passed)."""
    last = today.replace(day=1) if today.day >= 8 else (today.replace(day=1) - timedelta(days=1))
    months = []
    month = last.replace(day=1)
    for _ in range(12):
        months.append(month)
        month = (month - timedelta(days=1)).replace(day=1)
    return months[::-1]


def _values(s: DemoSection, month: date, index: int, rng: random.Random) -> list[str]:
    do, codmn, nh3n, tp = s.base
    season = math.sin((month.month - 4) / 12 * 2 * math.pi)  # warm months: less oxygen
    do = do - 0.9 * season + rng.uniform(-0.3, 0.3)
    codmn *= 1 + 0.15 * season + rng.uniform(-0.1, 0.1)
    nh3n *= 1 + rng.uniform(-0.2, 0.2)
    tp *= 1 + 0.2 * season + rng.uniform(-0.15, 0.15)
    if index in s.bad_months:  # a pollution episode upstream: ammonia and phosphorus
        nh3n, tp, do = 1.22 + rng.uniform(0, 0.2), 0.17 + rng.uniform(0, 0.02), do - 1.5
    cod = codmn * 3.4 + rng.uniform(-0.5, 0.5)
    bod5 = codmn * 0.55
    tn = nh3n * 2.2 + 0.6
    ph = 7.6 + rng.uniform(-0.3, 0.3)
    return [f"{v:.3f}" for v in (do, codmn, cod, bod5, nh3n, tp, tn)] + [f"{ph:.2f}"]


HEADER = [
    "断面编码",
    "断面名称",
    "监测日期",
    "溶解氧(mg/L)",
    "高锰酸盐指数(mg/L)",
    "化学需氧量(mg/L)",
    "五日生化需氧量(mg/L)",
    "氨氮(mg/L)",
    "总磷(mg/L)",
    "总氮(mg/L)",
    "pH(无量纲)",
]


def load_demo_water_quality(session: Session) -> dict[str, int]:
    """Activity step (idempotent): the demo sections and a year of their monthly readings."""
    if session.scalar(select(Section.id).where(Section.is_synthetic).limit(1)) is not None:
        return {"skipped_existing": 1}
    office = SystemActor(role="office")
    placed: list[DemoSection] = []
    for s in SECTIONS:
        river_id = session.scalar(select(River.id).where(River.name == s.river))
        point = _point(session, river_id, s.at) if river_id else None
        if river_id is None or point is None:
            continue
        body = SectionIn(
            name=s.name,
            code=s.code,
            kind=s.kind,  # type: ignore[arg-type]
            lon=point[0],
            lat=point[1],
            target_class=s.target_class,
            operator=OPERATOR,
            river_id=river_id,
        )
        register_section(session, body, office, synthetic=True)
        placed.append(s)
    today = today_local()
    months = _months(today)
    readings = exceedances = 0
    for index, month in enumerate(months, start=-len(months)):
        day = month.replace(day=8)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for s in placed:
            rng = random.Random(f"{s.code}:{month:%Y-%m}")
            writer.writerow([s.code, s.name, day.isoformat(), *_values(s, month, index, rng)])
        as_of = min(datetime.combine(month.replace(day=15), time(10), tzinfo=LOCAL_TZ),
                    datetime.now(LOCAL_TZ))  # fmt: skip
        result = import_readings(
            session,
            f"demo-{month:%Y-%m}.csv",
            out.getvalue().encode("utf-8"),
            office,
            today=today,
            synthetic=True,
            now=as_of,
        )
        readings += len(result.readings)
        exceedances += len(result.exceedances)
    session.flush()
    return {"sections": len(placed), "readings": readings, "exceedances": exceedances}
