"""Load the shipped Leshan geography (``gis_data/leshan``) and cut segments.

The data files say ``district`` and ``neighbour``; the glossary says ``county`` and
``neighbor``: the mapping happens here, once, on import.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geoalchemy2.shape import from_shape
from shapely import MultiPolygon, Polygon
from shapely.geometry import shape
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from service.areas.models import AdminArea
from service.rivers.models import River, Segment
from service.rivers.orientation import orient_downstream
from service.sql import load_sql

ROLE_MAP = {
    "focus_city": "focus_city",
    "focus_district": "focus_county",
    "neighbour_city": "neighbor_city",
    "neighbour_district": "neighbor_county",
}
LEVEL_MAP = {"city": "city", "district": "county"}

#: Default patrol tolerance by river class, in metres (a major river is wide: its banks and
#: the roads along them lie farther from the centre line).
TOLERANCE_BY_CLASS_M = {"major": 300.0, "medium": 200.0, "minor": 100.0}
#: WDBII lines lie a median 0.3-0.5 km from the true rivers (gis_data/leshan/SOURCES.md).
WDBII_ACCURACY_M = 500.0


@dataclass(frozen=True)
class KnownRiver:
    """What the data file does not say: direction of flow and class."""

    mouth: tuple[float, float]
    river_class: str


#: Mouths (a point at or past the downstream end, lon/lat): 岷江 leaves for 宜宾 in the
#: south-east; 大渡河 flows east to the Min at Leshan city; 青衣江 south-east to the Dadu.
KNOWN_RIVERS = {
    "岷江": KnownRiver((104.62, 28.77), "major"),
    "大渡河": KnownRiver((103.77, 29.55), "major"),
    "青衣江": KnownRiver((103.72, 29.55), "medium"),
}

#: What runs after segments of some rivers were re-cut: (session, river_ids). The caller
#: passes the composition's ``run_recut_hooks`` (``service.domains``): every domain holding
#: per-segment data (coverage, problems, crossings, assessments) declares its hook there.
OnRecut = Callable[[Session, list[int]], object]


def patrol_tolerance_m(river_class: str, accuracy_m: float) -> float:
    """The larger of the class default and the source's positional accuracy, in metres."""
    return max(TOLERANCE_BY_CLASS_M.get(river_class, 100.0), accuracy_m)


def class_from_wdb_levels(levels: list[int] | None) -> str:
    """WDBII levels: 1 permanent major, 2 additional major, 3 additional, 4 minor."""
    best = min(levels or [4])
    return "major" if best <= 2 else "medium" if best == 3 else "minor"


def _read_features(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        features: list[dict[str, Any]] = json.load(fh)["features"]
    return features


def load_areas(session: Session, path: Path) -> int:
    """Upsert every area of ``boundaries.geojson``; returns how many were written."""
    count = 0
    for feature in _read_features(path):
        props = feature["properties"]
        geom = shape(feature["geometry"])
        if isinstance(geom, Polygon):
            geom = MultiPolygon([geom])
        area = session.get(AdminArea, props["code"]) or AdminArea(code=props["code"])
        area.name = props["name"]
        area.level = LEVEL_MAP[props["level"]]
        area.parent_code = props.get("parent_code")
        area.role = ROLE_MAP[props["role"]]
        area.area_km2 = props.get("area_km2")
        area.source = props.get("source")
        area.geom = from_shape(geom, srid=4326)
        session.add(area)
        count += 1
    session.flush()
    return count


def load_rivers(session: Session, path: Path) -> tuple[list[int], list[int]]:
    """Upsert the rivers of the shipped WDBII layer by name.

    Returns (all ids, ids whose geometry is new or changed): only those need re-cutting, so a
    second load keeps segment ids stable for what refers to them.
    """
    ids: list[int] = []
    changed: list[int] = []
    for feature in _read_features(path):
        props = feature["properties"]
        name = props.get("name") or f"未命名河流 {props['id']}"
        name_en = props.get("name_en") or f"Unnamed river {props['id']}"
        known = KNOWN_RIVERS.get(name)
        river_class = known.river_class if known else class_from_wdb_levels(props.get("wdb_levels"))
        geom = shape(feature["geometry"])
        if known:
            geom = orient_downstream(geom, known.mouth)
        river = session.scalar(select(River).where(River.name == name)) or River(name=name)
        river.name_en = name_en
        river.kind = "river"
        river.river_class = river_class
        river.positional_accuracy_m = WDBII_ACCURACY_M
        river.patrol_tolerance_m = patrol_tolerance_m(river_class, WDBII_ACCURACY_M)
        river.source_id = props["id"]
        river.source = f"{props.get('source', '')}; {props.get('licence', '')}".strip("; ")
        old_wkb = (
            session.scalar(select(func.ST_AsBinary(River.geom)).where(River.id == river.id))
            if river.id
            else None
        )
        if old_wkb is None or bytes(old_wkb) != geom.wkb:
            river.geom = from_shape(geom, srid=4326)
            session.add(river)
            session.flush()
            changed.append(river.id)
        else:
            session.add(river)
            session.flush()
        ids.append(river.id)
    return ids, changed


def recut_segments(session: Session, river_ids: list[int], on_recut: OnRecut) -> int:
    """Delete and re-cut the segments of ``river_ids``, then ``on_recut(session, river_ids)``
    (required: a re-cut that skipped the domains' hooks would orphan their per-segment data);
    returns the number of segments made."""
    if not river_ids:
        return 0
    session.execute(delete(Segment).where(Segment.river_id.in_(river_ids)))
    result = session.execute(load_sql("cut_segments"), {"river_ids": river_ids})
    on_recut(session, river_ids)
    return int(getattr(result, "rowcount", 0) or 0)


def load_geography(session: Session, data_dir: Path, on_recut: OnRecut) -> dict[str, int]:
    """Areas, rivers and segments from ``data_dir/leshan``; idempotent."""
    leshan = data_dir / "leshan"
    areas = load_areas(session, leshan / "boundaries.geojson")
    river_ids, changed = load_rivers(session, leshan / "rivers.geojson")
    segments = recut_segments(session, changed, on_recut)
    return {"areas": areas, "rivers": len(river_ids), "segments": segments}
