"""Reads of sections and their water quality: the registry, readings, classes by month and
year, the map layer, and what other domains show (neighbour view, health, dashboard)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from service.areas.models import AdminArea
from service.errors import NotFound
from service.rivers.models import River
from service.water_quality.aggregate import (
    PeriodMean,
    annual_means,
    month_start,
    monthly_means,
    period_means,
)
from service.water_quality.models import SECTION_KINDS, Section, SectionReading
from service.water_quality.readings import stored_reading
from service.water_quality.schemas import (
    County,
    LatestClass,
    MonthClass,
    ReadingOut,
    SectionMonthOut,
    SectionOut,
    SectionSeries,
)
from service.water_quality.standard import CLASS_COLOURS, class_label

#: Fields a section's series and map feature take from ``SectionOut``.
SERIES_FIELDS = {
    "id", "code", "name", "kind", "river_id", "river_name", "neighbor_code", "direction",
    "target_class", "lon", "lat",
}  # fmt: skip
MAP_FIELDS = {"id", "code", "name", "kind", "river_id", "target_class", "neighbor_code",
              "direction"}  # fmt: skip


def get_section(session: Session, section_id: int) -> Section:
    section = session.get(Section, section_id)
    if section is None:
        raise NotFound(f"section {section_id} does not exist")
    return section


def _base() -> Select[Any]:
    up, down, neighbor = aliased(AdminArea), aliased(AdminArea), aliased(AdminArea)
    return (
        select(
            Section,
            River.name.label("river_name"),
            neighbor.name.label("neighbor_name"),
            up.name.label("up_name"),
            down.name.label("down_name"),
            func.ST_X(Section.geom).label("lon"),
            func.ST_Y(Section.geom).label("lat"),
            func.ST_X(Section.snapped_geom).label("snapped_lon"),
            func.ST_Y(Section.snapped_geom).label("snapped_lat"),
        )
        .join(River, River.id == Section.river_id)
        .outerjoin(neighbor, neighbor.code == Section.neighbor_code)
        .outerjoin(up, up.code == Section.upstream_county_code)
        .outerjoin(down, down.code == Section.downstream_county_code)
        .order_by(River.id, Section.measure_m, Section.id)
    )


def latest_means(session: Session, section_ids: Sequence[int]) -> dict[int, PeriodMean]:
    """Each section's latest month with readings, its means and class."""
    if not section_ids:
        return {}
    latest = dict(
        session.execute(
            select(SectionReading.section_id, func.max(SectionReading.sampled_on))
            .where(SectionReading.section_id.in_(list(section_ids)))
            .group_by(SectionReading.section_id)
        ).all()
    )
    if not latest:
        return {}
    start = month_start(min(latest.values()))
    means = monthly_means(session, start, max(latest.values()), list(latest))
    return {sid: means[(sid, month_start(day))] for sid, day in latest.items()}


def _county(code: str | None, name: str | None) -> County | None:
    return None if code is None else County(code=code, name=name or code)


def sections_of(session: Session, stmt: Select[Any]) -> list[SectionOut]:
    """Rows of ``_base()`` (filtered) as ``SectionOut``, with the latest class."""
    rows = session.execute(stmt).all()
    latest = latest_means(session, [r.Section.id for r in rows])
    out = []
    for r in rows:
        s: Section = r.Section
        mean = latest.get(s.id)
        out.append(
            SectionOut(
                id=s.id,
                code=s.code,
                name=s.name,
                kind=s.kind,  # type: ignore[arg-type]  # checked by ck_section_kind
                kind_label=SECTION_KINDS[s.kind],
                river_id=s.river_id,
                river_name=r.river_name,
                lon=round(float(r.lon), 7),
                lat=round(float(r.lat), 7),
                snapped_lon=round(float(r.snapped_lon), 7),
                snapped_lat=round(float(r.snapped_lat), 7),
                measure_m=round(s.measure_m, 1),
                snap_distance_m=round(s.snap_distance_m, 1),
                target_class=s.target_class,
                target_label=class_label(s.target_class) or "",
                operator=s.operator,
                neighbor_code=s.neighbor_code,
                neighbor_name=r.neighbor_name,
                direction=s.direction,  # type: ignore[arg-type]  # ck_section_direction
                upstream_county=_county(s.upstream_county_code, r.up_name),
                downstream_county=_county(s.downstream_county_code, r.down_name),
                latest=None
                if mean is None
                else LatestClass(
                    month=mean.period,
                    water_class=mean.classification.water_class,
                    label=class_label(mean.classification.water_class),
                    target_met=mean.target_met(s.target_class),
                ),
                is_synthetic=s.is_synthetic,
            )
        )
    return out


def list_sections(
    session: Session,
    river_id: int | None = None,
    kind: str | None = None,
    neighbor_code: str | None = None,
) -> list[SectionOut]:
    stmt = _base()
    if river_id is not None:
        stmt = stmt.where(Section.river_id == river_id)
    if kind is not None:
        stmt = stmt.where(Section.kind == kind)
    if neighbor_code is not None:
        stmt = stmt.where(Section.neighbor_code == neighbor_code)
    return sections_of(session, stmt)


def one_section(session: Session, section_id: int) -> SectionOut:
    found = sections_of(session, _base().where(Section.id == section_id))
    if not found:
        raise NotFound(f"section {section_id} does not exist")
    return found[0]


def readings_of(session: Session, section: Section, start: date, end: date) -> list[ReadingOut]:
    """The section's readings on days start..end, oldest first."""
    rows = session.scalars(
        select(SectionReading)
        .where(
            SectionReading.section_id == section.id,
            SectionReading.sampled_on >= start,
            SectionReading.sampled_on <= end,
        )
        .order_by(SectionReading.sampled_on, SectionReading.id)
    )
    return [stored_reading(section, r) for r in rows]


def _month_end(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def water_quality(session: Session, year: int, month: int | None) -> list[SectionMonthOut]:
    """Every section with its class for the month (or, without one, the year: the class of
    the annual means), ``target_met`` None where there are no readings."""
    sections = session.execute(
        select(Section, River.name)
        .join(River, River.id == Section.river_id)
        .order_by(River.id, Section.measure_m, Section.id)
    ).all()
    if month is None:
        by_section = annual_means(session, year)
    else:
        first = date(year, month, 1)
        by_section = {
            sid: m for (sid, _), m in monthly_means(session, first, _month_end(first)).items()
        }
    out = []
    for s, river_name in sections:
        mean = by_section.get(s.id)
        cls = mean.classification if mean else None
        out.append(
            SectionMonthOut(
                id=s.id,
                code=s.code,
                name=s.name,
                kind=s.kind,  # type: ignore[arg-type]  # ck_section_kind
                river_id=s.river_id,
                river_name=river_name,
                neighbor_code=s.neighbor_code,
                direction=s.direction,  # type: ignore[arg-type]  # ck_section_direction
                water_class=cls.water_class if cls else None,
                label=class_label(cls.water_class) if cls else None,
                target_class=s.target_class,
                target_met=mean.target_met(s.target_class) if mean else None,
                readings=mean.readings if mean else 0,
                worst_parameters=list(cls.worst) if cls else [],
                means=mean.means if mean else {},
            )
        )
    return out


def months_between(start: date, end: date) -> list[date]:
    """First days of the months from ``start``'s to ``end``'s."""
    out, month = [], month_start(start)
    while month <= end:
        out.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return out


def series(
    session: Session,
    start: date,
    end: date,
    *,
    river_id: int | None = None,
    neighbor_code: str | None = None,
) -> list[SectionSeries]:
    """Each section's class by month over days start..end and the class of the period's
    means (for a calendar year, the annual class): the river panel's chart and the
    交接断面水质清单 (``neighbor_code``: the sections at the border with that city)."""
    sections = list_sections(session, river_id=river_id, neighbor_code=neighbor_code)
    ids = [s.id for s in sections]
    monthly = monthly_means(session, start, end, ids)
    whole = period_means(session, start, end, ids)
    out = []
    for s in sections:
        months = []
        for month in months_between(start, end):
            mean = monthly.get((s.id, month))
            months.append(
                MonthClass(
                    month=month,
                    water_class=mean.classification.water_class if mean else None,
                    target_met=mean.target_met(s.target_class) if mean else None,
                )
            )
        over = whole.get(s.id)
        out.append(
            SectionSeries(
                **s.model_dump(include=SERIES_FIELDS),
                upstream_county=s.upstream_county,
                downstream_county=s.downstream_county,
                months=months,
                period_class=over.classification.water_class if over else None,
                period_target_met=over.target_met(s.target_class) if over else None,
            )
        )
    return out


def sections_geojson(session: Session) -> dict[str, Any]:
    """The map layer (public): sections at their points, coloured by their latest class."""
    features = []
    for s in list_sections(session):
        latest = s.latest
        cls = latest.water_class if latest else None
        features.append(
            {
                "type": "Feature",
                "id": s.id,
                "geometry": {"type": "Point", "coordinates": [s.lon, s.lat]},
                "properties": {
                    **s.model_dump(include=MAP_FIELDS),
                    "class": cls,
                    "label": class_label(cls),
                    "month": latest.month.isoformat() if latest else None,
                    "target_met": latest.target_met if latest else None,
                    "colour": CLASS_COLOURS.get(cls or 0, "#9e9e9e"),
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "features": features,
        "legend": [
            {"class": c, "label": class_label(c), "colour": colour}
            for c, colour in CLASS_COLOURS.items()
        ],
    }
