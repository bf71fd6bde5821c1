"""River health assessments: record (score and class computed here), read, map layer."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from service.errors import Conflict, Forbidden, InvalidInput
from service.governance.common import Actor, check_river, get_or_404
from service.governance.health.config import HealthConfig, compute, load_config
from service.governance.health.models import HealthAssessment, HealthIndicatorScore
from service.governance.health.schemas import HealthAssessmentIn
from service.governance.permissions import require_drafter
from service.officials.queries import municipal_chief
from service.rivers.models import River, Segment
from service.settings import get_settings
from service.water_quality.indicators import river_water_quality

#: The indicator filled from the monitoring sections (see ``_fill_water_quality``).
WATER_QUALITY = "water_quality"

#: Map colours by class (the blue → red ramp used in Chinese health-assessment maps).
CLASS_COLOURS = {
    "very_healthy": "#1a9641",
    "healthy": "#a6d96a",
    "sub_healthy": "#ffd700",
    "unhealthy": "#fdae61",
    "poor": "#d7191c",
}


def config() -> HealthConfig:
    return load_config(get_settings().health_config)


def record(
    session: Session, data: HealthAssessmentIn, actor: Actor, *, is_synthetic: bool = False
) -> HealthAssessment:
    """§13: the office with the liaison unit assess a river (or one segment) for a year."""
    cfg = config()
    river = check_river(session, data.river_id)
    require_drafter(session, actor, river.id, data.assessed_on)
    county = None
    if data.segment_id is not None:
        segment = session.get(Segment, data.segment_id)
        if segment is None or segment.river_id != river.id:
            raise InvalidInput(f"segment {data.segment_id} is not a segment of river {river.id}")
        county = segment.county_code
    scores, measured = _fill_water_quality(session, cfg, river.id, data)
    for code, score in scores.items():
        cfg.indicator(code)
        if not 0 <= score <= 100:
            raise InvalidInput(f"score of {code} must be 0-100, got {score}")
    unknown = set(measured) - set(scores)
    if unknown:
        raise InvalidInput(f"measured values for unscored indicators: {sorted(unknown)}")
    rhi, _ = compute(cfg, scores)
    existing = session.scalar(
        select(HealthAssessment.id).where(
            HealthAssessment.river_id == river.id,
            HealthAssessment.year == data.year,
            HealthAssessment.segment_id.is_(None)
            if data.segment_id is None
            else HealthAssessment.segment_id == data.segment_id,
        )
    )
    if existing is not None:
        raise Conflict(f"assessment {existing} already covers this river/segment for {data.year}")
    row = HealthAssessment(
        river_id=river.id,
        segment_id=data.segment_id,
        county_code=county,
        year=data.year,
        assessed_on=data.assessed_on,
        score=rhi,
        health_class=cfg.classify(rhi),
        report_title=data.report_title,
        is_synthetic=is_synthetic,
    )
    session.add(row)
    session.flush()
    for code, score in scores.items():
        session.add(
            HealthIndicatorScore(
                assessment_id=row.id, indicator=code, score=score, measured=measured.get(code)
            )
        )
    session.flush()
    return row


def _fill_water_quality(
    session: Session, cfg: HealthConfig, river_id: int, data: HealthAssessmentIn
) -> tuple[dict[str, float], dict[str, str]]:
    """水质优劣程度 from the river's monitoring sections for the year (issue 20), when they
    have readings: the score of the class of the sections' annual means. A score typed in by
    hand for a river that has readings is refused, so the two cannot disagree."""
    scores, measured = dict(data.scores), dict(data.measured)
    found = river_water_quality(session, river_id, data.year)
    if found is None or found.water_class is None:
        return scores, measured
    score = cfg.water_quality_scores[found.water_class]
    if WATER_QUALITY in scores:
        raise InvalidInput(
            f"{WATER_QUALITY} is filled from the river's monitoring sections for {data.year} "
            f"(class {found.water_class}, score {score:g}): leave it out",
            code="computed_indicator",
            field=f"scores.{WATER_QUALITY}",
            computed=score,
        )
    scores[WATER_QUALITY] = score
    measured[WATER_QUALITY] = found.measured_text()
    return scores, measured


def approve(session: Session, row: HealthAssessment, actor: Actor) -> None:
    """§13: the report goes to the river's municipal chief for approval (审定)."""
    if row.approved_by_official_id is not None:
        raise Conflict(f"health assessment {row.id} is already approved")
    chief = municipal_chief(session, row.river_id, row.assessed_on)
    if chief is None or actor.official_id != chief.id:
        raise Forbidden("only the river's municipal chief approves its health assessment")
    row.approved_by_official_id = chief.id
    session.flush()


def delete_assessment(session: Session, row: HealthAssessment, actor: Actor) -> None:
    require_drafter(session, actor, row.river_id, row.assessed_on)
    if row.approved_by_official_id is not None:
        raise Conflict("an approved health assessment cannot be deleted")
    session.execute(delete(HealthAssessment).where(HealthAssessment.id == row.id))
    session.flush()


def get(session: Session, assessment_id: int) -> HealthAssessment:
    return get_or_404(session, HealthAssessment, assessment_id, "health assessment")


def out(session: Session, row: HealthAssessment) -> dict[str, Any]:
    cfg = config()
    scores = session.scalars(
        select(HealthIndicatorScore).where(HealthIndicatorScore.assessment_id == row.id)
    ).all()
    _, criteria = compute(cfg, {s.indicator: s.score for s in scores})
    names = {i.code: i for i in cfg.indicators}
    return {
        **{
            c: getattr(row, c)
            for c in (
                "id",
                "river_id",
                "segment_id",
                "county_code",
                "year",
                "assessed_on",
                "score",
                "health_class",
                "report_title",
                "approved_by_official_id",
                "is_synthetic",
            )
        },
        "river_name": session.scalar(select(River.name).where(River.id == row.river_id)),
        "health_label": cfg.label(row.health_class),
        "criteria": criteria,
        "indicators": [
            {
                "indicator": s.indicator,
                "name": names[s.indicator].name if s.indicator in names else s.indicator,
                "criterion": names[s.indicator].criterion if s.indicator in names else "",
                "score": s.score,
                "measured": s.measured,
            }
            for s in sorted(scores, key=lambda s: s.indicator)
        ],
    }


def list_assessments(
    session: Session, year: int | None, river_id: int | None
) -> list[HealthAssessment]:
    stmt = select(HealthAssessment).order_by(
        HealthAssessment.year.desc(), HealthAssessment.river_id, HealthAssessment.segment_id
    )
    if year is not None:
        stmt = stmt.where(HealthAssessment.year == year)
    if river_id is not None:
        stmt = stmt.where(HealthAssessment.river_id == river_id)
    return list(session.scalars(stmt).all())


def map_layer(session: Session, year: int) -> dict[str, Any]:
    """GeoJSON (EPSG:4326) of the year's assessed reaches coloured by class.

    A whole-river assessment is drawn on the river's segments inside the city (the part that
    was assessed); a segment assessment on its segment. Where both exist, the segment's wins.
    """
    cfg = config()
    # A segment assessment whose segment was re-cut away keeps its county: draw the river's
    # segments in that county; a whole-river assessment draws all of the river's segments.
    seg_geom = (
        select(func.ST_AsGeoJSON(func.ST_LineMerge(func.ST_Collect(Segment.geom)), 6))
        .where(
            Segment.river_id == HealthAssessment.river_id,
            (HealthAssessment.county_code.is_(None))
            | (Segment.county_code == HealthAssessment.county_code),
        )
        .scalar_subquery()
    )
    one_seg = (
        select(func.ST_AsGeoJSON(Segment.geom, 6))
        .where(Segment.id == HealthAssessment.segment_id)
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            HealthAssessment,
            River.name,
            func.coalesce(one_seg, seg_geom).label("geometry"),
        )
        .join(River, River.id == HealthAssessment.river_id)
        .where(HealthAssessment.year == year)
        .order_by(HealthAssessment.segment_id.is_not(None), HealthAssessment.id)
    ).all()
    features = []
    for row, river_name, geometry in rows:
        if geometry is None:
            continue
        features.append(
            {
                "type": "Feature",
                "id": row.id,
                "geometry": json.loads(geometry),
                "properties": {
                    "assessment_id": row.id,
                    "river_id": row.river_id,
                    "river_name": river_name,
                    "segment_id": row.segment_id,
                    "year": row.year,
                    "score": row.score,
                    "health_class": row.health_class,
                    "health_label": cfg.label(row.health_class),
                    "colour": CLASS_COLOURS.get(row.health_class, "#888888"),
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "features": features,
        "legend": [
            {"health_class": c, "label": lab, "min_score": lo, "colour": CLASS_COLOURS.get(c)}
            for lo, c, lab in cfg.classes
        ],
    }


def config_out() -> dict[str, Any]:
    cfg = config()
    criteria = [{"code": c, "label": lab, "weight": w} for c, (lab, w) in cfg.criteria.items()]
    indicators = [
        {
            "code": i.code,
            "name": i.name,
            "criterion": i.criterion,
            "required": i.required,
            "weight": i.weight,
        }
        for i in cfg.indicators
    ]
    classes = [{"health_class": c, "label": lab, "min_score": lo} for lo, c, lab in cfg.classes]
    return {
        "source": cfg.source,
        "criteria": criteria,
        "indicators": indicators,
        "classes": classes,
    }
