"""The printable joint-meeting brief (联席会议简报): one HTML page, A4, with a folium map.

The map is made with ``service.web.folium_map.offline_map``, which links only the vendored
Leaflet under ``/static/vendor/`` (never a CDN), and uses circle markers and plain GeoJSON
layers so no other asset (marker images, icon fonts) is needed. Patrols appear only as
aggregates per day and reach (date, reach, covered km): never routes, tracks or times of day.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from importlib.resources import files
from typing import Any

import folium
from jinja2 import Environment
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.areas.models import AdminArea
from service.auth.scope import ANONYMOUS
from service.cross_boundary.models import Crossing, SharedBorder
from service.cross_boundary.schemas import NeighborViewOut, ReachOut
from service.governance.agreements.joint import next_convener
from service.rivers.models import River
from service.settings import get_settings
from service.sql import load_sql
from service.timeutil import today_local
from service.water_quality.standard import CLASS_COLOURS, CLASS_NUMERALS
from service.web.folium_map import offline_map, rows_geojson

DIRECTION_LABELS = {"inflow": "入境", "outflow": "出境", "along": "沿界"}
DIRECTION_COLOURS = {"inflow": "#0072B2", "outflow": "#D55E00", "along": "#CC79A7"}
#: Problem markers: open states stand out, finished ones are grey.
OPEN_PROBLEM_COLOUR, DONE_PROBLEM_COLOUR = "#b00020", "#777777"
FINISHED_PROBLEM_STATES = frozenset({"closed", "closed_not_fixed", "duplicate"})
_ENV = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
_TEMPLATE = _ENV.from_string(
    files("service.cross_boundary").joinpath("brief.html").read_text(encoding="utf-8")
)


def _coverage_colour(coverage: float) -> str:
    """Reach colour by patrol coverage (colour-blind-safe: blue-green good, orange partial)."""
    if coverage >= 0.5:
        return "#009E73"
    if coverage > 0:
        return "#E69F00"
    return "#999999"


def patrol_days(
    session: Session, reaches: list[ReachOut], date_from: date, date_to: date
) -> list[dict[str, Any]]:
    """Per day and boundary reach: covered km and number of valid patrols (no routes)."""
    if not reaches:
        return []
    rows = session.execute(
        load_sql("cross_boundary_patrol_days"),
        {
            "segment_ids": [r.segment_id for r in reaches],
            "starts": [r.start_frac for r in reaches],
            "ends": [r.end_frac for r in reaches],
            "date_from": date_from,
            "date_to": date_to,
        },
    ).all()
    by_key = {(r.segment_id, r.start_frac): r for r in reaches}
    out = []
    for row in rows:
        reach = by_key.get((row.segment_id, round(row.start_frac, 6)))
        if reach is None:
            continue
        out.append(
            {
                "date": row.day,
                "reach": f"{reach.river_name} {reach.county_name}段",
                "covered_km": round(row.covered_m / 1000.0, 2),
                "patrols": int(row.patrols),
            }
        )
    return out


def _map(session: Session, data: NeighborViewOut) -> folium.Map:
    code = data.neighbor_code
    fmap = offline_map(location=[29.5, 103.7], zoom_start=9, width="100%", height="115mm")
    neighbour = rows_geojson(
        session,
        select(
            AdminArea.name,
            func.ST_AsGeoJSON(func.ST_SimplifyPreserveTopology(AdminArea.geom, 0.002), 5).label(
                "geometry"
            ),
        ).where(AdminArea.code == code),
    )
    folium.GeoJson(
        neighbour,
        name="相邻市",
        style_function=lambda _f: {"color": "#e65100", "weight": 1, "fillOpacity": 0.06},
    ).add_to(fmap)
    focus = rows_geojson(
        session,
        select(
            func.ST_AsGeoJSON(func.ST_SimplifyPreserveTopology(AdminArea.geom, 0.002), 5).label(
                "geometry"
            ),
        ).where(AdminArea.code == get_settings().focus_city_code),
    )
    folium.GeoJson(
        focus, name="本市", style_function=lambda _f: {"color": "#555", "weight": 1, "fill": False}
    ).add_to(fmap)
    border = rows_geojson(
        session,
        select(
            func.ST_AsGeoJSON(SharedBorder.geom, 5).label("geometry"),
        ).where(SharedBorder.neighbor_code == code),
    )
    folium.GeoJson(
        border,
        name="共同边界",
        style_function=lambda _f: {"color": "#e65100", "weight": 3, "dashArray": "8 4"},
    ).add_to(fmap)
    river_ids = [r.river_id for r in data.rivers]
    rivers = rows_geojson(
        session,
        select(
            River.name,
            func.ST_AsGeoJSON(func.ST_SimplifyPreserveTopology(River.geom, 0.001), 5).label(
                "geometry"
            ),
        ).where(River.id.in_(river_ids)),
    )
    folium.GeoJson(
        rivers, name="共享河流", style_function=lambda _f: {"color": "#5b8db8", "weight": 2}
    ).add_to(fmap)
    reaches = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": r.geometry,
                "properties": {
                    "name": f"{r.river_name} {r.county_name}段",
                    "km": f"{r.covered_km:.2f} / {r.length_km:.2f} km",
                    "colour": _coverage_colour(r.coverage),
                },
            }
            for r in data.reaches
        ],
    }
    if reaches["features"]:
        layer = folium.GeoJson(
            reaches,
            name="边界河段（巡河覆盖）",
            style_function=lambda f: {"color": f["properties"]["colour"], "weight": 6},
            tooltip=folium.GeoJsonTooltip(fields=["name", "km"], aliases=["河段", "已巡/长度"]),
        ).add_to(fmap)
        fmap.fit_bounds(layer.get_bounds())  # type: ignore[arg-type]
    along = rows_geojson(
        session,
        select(
            func.ST_AsGeoJSON(Crossing.reach, 5).label("geometry"),
        ).where(Crossing.neighbor_code == code, Crossing.direction == "along"),
    )
    if along["features"]:
        folium.GeoJson(
            along,
            name="沿界河段",
            style_function=lambda _f: {"color": DIRECTION_COLOURS["along"], "weight": 3},
        ).add_to(fmap)
    crossings = folium.FeatureGroup(name="跨界断面").add_to(fmap)
    for c in data.crossings:
        folium.CircleMarker(
            [c.lat, c.lon],
            radius=7,
            weight=2,
            color="#000",
            fill_color=DIRECTION_COLOURS[c.direction],
            fill_opacity=0.9,
            tooltip=f"{c.river_name} {DIRECTION_LABELS[c.direction]} · {c.neighbor_county or ''}",
        ).add_to(crossings)
    sections = folium.FeatureGroup(name="交接断面水质").add_to(fmap)
    for s in data.water_quality.border_sections:
        cls = s.period_class
        # A plain circle marker: folium's other markers load scripts from a CDN.
        folium.CircleMarker(
            [s.lat, s.lon],
            radius=9,
            weight=3,
            color="#222",
            fill_color=CLASS_COLOURS.get(cls or 0, "#9e9e9e"),
            fill_opacity=0.95,
            tooltip=f"{s.river_name} {s.name} · {CLASS_NUMERALS[cls] + '类' if cls else '无监测'}"
            f"（目标 {CLASS_NUMERALS[s.target_class]} 类）",
        ).add_to(sections)
    problems = folium.FeatureGroup(name="问题点位").add_to(fmap)
    for p in data.problems:
        colour = DONE_PROBLEM_COLOUR if p.state in FINISHED_PROBLEM_STATES else OPEN_PROBLEM_COLOUR
        folium.CircleMarker(
            [p.lat, p.lon],
            radius=5,
            weight=1,
            color=colour,
            fill_color=colour,
            fill_opacity=0.8,
            tooltip=f"{p.category_label} · {p.state_label}",
        ).add_to(problems)
    folium.LayerControl(collapsed=True).add_to(fmap)
    return fmap


def render(session: Session, data: NeighborViewOut) -> str:
    """The brief as one HTML document (zh-CN, print CSS for A4)."""
    start, end = data.from_, data.to
    fmap = _map(session, data)
    root = fmap.get_root()
    assert isinstance(root, folium.Figure)
    root.title = f"跨界联席会议简报 · {data.neighbor_name}"
    context = {
        "v": data,
        "city_name": session.scalar(
            select(AdminArea.name).where(AdminArea.code == get_settings().focus_city_code)
        ),
        "today": today_local().isoformat(),
        "labels": DIRECTION_LABELS,
        "numerals": CLASS_NUMERALS,
        "patrol_days": patrol_days(session, data.reaches, start, end),
        "problem_counts": dict(Counter(p.state_label for p in data.problems)),
        "next": [next_convener(session, ANONYMOUS, a.id) for a in data.agreements],
    }
    head, tail = _TEMPLATE.render(part="head", **context), _TEMPLATE.render(part="tail", **context)
    root.header.add_child(folium.Element(_TEMPLATE.render(part="style", **context)))
    root.html.add_child(folium.Element(head))
    page = str(root.render())
    # The map's own <div> is appended to the body when the map renders; the tables follow it.
    return page.replace("</body>", tail + "</body>", 1).replace("<html>", '<html lang="zh-CN">', 1)
