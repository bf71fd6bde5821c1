"""Water quality as other parts of the system count it: a river's class for a year (the
health assessment's 水质优劣程度) and the dashboard's water-quality panel (issue 17)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.problems.models import Problem
from service.problems.workflow import OPEN_STATES
from service.water_quality.aggregate import annual_means, month_start, monthly_means
from service.water_quality.models import Section, SectionExceedance, SectionReading
from service.water_quality.standard import PARAMETER_CODES, class_label, classify


@dataclass(frozen=True)
class RiverWaterQuality:
    """A river's water quality for a year, after the 评价办法's river assessment: the mean
    over its sections of each section's annual mean, classified by the single-factor method
    (the 办法's method for fewer than 5 sections; with more it also judges the share of I-III
    sections, given here as ``share_i_to_iii``)."""

    river_id: int
    year: int
    sections: int
    water_class: int | None
    worst: tuple[str, ...]
    means: dict[str, float] = field(default_factory=dict)
    share_i_to_iii: float | None = None

    def measured_text(self) -> str:
        """What the health assessment records as measured (zh-CN)."""
        worst = "、".join(self.worst) or "—"
        return (
            f"由 {self.sections} 个监测断面 {self.year} 年均值评价：{class_label(self.water_class)}"
            f"（决定因子 {worst}）"
        )


def river_water_quality(session: Session, river_id: int, year: int) -> RiverWaterQuality | None:
    """The river's class for ``year`` from its sections' readings; None without readings."""
    ids = list(session.scalars(select(Section.id).where(Section.river_id == river_id)))
    annual = annual_means(session, year, ids) if ids else {}
    if not annual:
        return None
    means: dict[str, float] = {}
    for code in PARAMETER_CODES:
        values = [m.means[code] for m in annual.values() if code in m.means]
        if values:
            means[code] = round(sum(values) / len(values), 4)
    c = classify(means)
    classes = [m.classification.water_class for m in annual.values()]
    good = sum(1 for k in classes if k is not None and k <= 3)
    return RiverWaterQuality(
        river_id=river_id,
        year=year,
        sections=len(annual),
        water_class=c.water_class,
        worst=c.worst,
        means=means,
        share_i_to_iii=round(good / len(classes), 4),
    )


class Figure(BaseModel):
    """A number on the dashboard and the list that reproduces it (path and query)."""

    value: float | int | None
    link: str


class WaterQualityPanel(BaseModel):
    """The dashboard's water-quality panel for a period (from..to, local days): the latest
    month with readings in it, sections by class that month, how many met their target,
    exceedances and the 水质异常 problems they opened."""

    date_from: date = Field(serialization_alias="from")
    date_to: date = Field(serialization_alias="to")
    month: date | None = Field(description="latest month with readings in the period")
    sections: Figure
    with_readings: Figure
    by_class: dict[int, int] = Field(description="class 1-6 -> sections that month")
    target_met: Figure
    target_missed: Figure
    share_met: float | None
    exceedances: Figure = Field(description="section-months worse than target in the period")
    supervised: Figure = Field(description="of those, repeats that supervised (督办) a problem")
    open_problems: Figure = Field(description="open 水质异常 problems (any source)")


def dashboard_panel(session: Session, date_from: date, date_to: date) -> WaterQualityPanel:
    """The water-quality panel of ``GET /stats/overview`` (issue 17) for the period."""
    sections = {s.id: s for s in session.scalars(select(Section))}
    last = session.scalar(
        select(func.max(SectionReading.sampled_on)).where(
            SectionReading.sampled_on >= date_from, SectionReading.sampled_on <= date_to
        )
    )
    month = month_start(last) if last else None
    by_class = dict.fromkeys(range(1, 7), 0)
    met = missed = 0
    if month is not None:
        for (sid, _), mean in monthly_means(session, month, last or month).items():
            cls = mean.classification.water_class
            if cls is None or sid not in sections:
                continue
            by_class[cls] += 1
            if cls <= sections[sid].target_class:
                met += 1
            else:
                missed += 1
    in_period = (
        SectionExceedance.month >= month_start(date_from),
        SectionExceedance.month <= date_to,
    )
    exceedances = session.scalar(select(func.count(SectionExceedance.id)).where(*in_period))
    repeats = session.scalar(
        select(func.count(SectionExceedance.id)).where(*in_period, SectionExceedance.repeat)
    )
    open_problems = session.scalar(
        select(func.count(Problem.id)).where(
            Problem.category == "water_quality", Problem.state.in_(sorted(OPEN_STATES))
        )
    )
    wq = f"/api/v1/water-quality?year={month.year}&month={month.month}" if month else ""
    problems = "/api/v1/problems?category=water_quality&state=" + ",".join(sorted(OPEN_STATES))
    listed = f"/api/v1/water-quality/exceedances?from={date_from}&to={date_to}"
    judged = met + missed
    return WaterQualityPanel(
        date_from=date_from,
        date_to=date_to,
        month=month,
        sections=Figure(value=len(sections), link="/api/v1/sections"),
        with_readings=Figure(value=judged, link=wq),
        by_class=by_class,
        target_met=Figure(value=met, link=wq),
        target_missed=Figure(value=missed, link=wq),
        share_met=round(met / judged, 4) if judged else None,
        exceedances=Figure(value=exceedances or 0, link=listed),
        supervised=Figure(value=repeats or 0, link=listed + "&repeat=true"),
        open_problems=Figure(value=open_problems or 0, link=problems),
    )
