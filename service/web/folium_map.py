"""Server-rendered (folium) map of one river, for printing and sharing.

folium links Leaflet, jQuery, Bootstrap and Font Awesome from CDNs by default; every map made
here links only the vendored Leaflet under ``/static/vendor/`` instead, so the page renders
with no internet access (the cross-boundary brief can use :func:`offline_map` too).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from typing import Any

import folium
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.areas.models import AdminArea
from service.officials.river_roster import get_river
from service.officials.schemas import RiverOut
from service.rivers.models import River, Segment
from service.settings import get_settings
from service.timeutil import today_local
from service.web.config import basemap_layers, tile_origins

LEAFLET_JS = ("leaflet", "/static/vendor/leaflet/leaflet.js")
LEAFLET_CSS = ("leaflet_css", "/static/vendor/leaflet/leaflet.css")
#: One colour per county along the river (colour-blind-safe Okabe-Ito order).
NO_FLAG_STYLE = "<style>.leaflet-attribution-flag{display:none!important}</style>"
COUNTY_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442"]


def offline_map(**kwargs: Any) -> folium.Map:
    """A ``folium.Map`` that links only vendored Leaflet and the configured basemap (if any)."""
    fmap = folium.Map(tiles=None, control_scale=True, **kwargs)
    # Instance attributes shadow folium's class-level CDN lists for this map only.
    fmap.default_js = [LEAFLET_JS]
    fmap.default_css = [LEAFLET_CSS]
    # Printed pages carry the data's attribution only, not Leaflet's flag prefix (issue 17).
    root: Any = fmap.get_root()  # a branca Figure (typed as Element)
    root.header.add_child(folium.Element(NO_FLAG_STYLE))
    _, layers, _ = basemap_layers(get_settings())
    for layer in layers:
        folium.TileLayer(
            tiles=layer["url"],
            attr=layer["attribution"],
            subdomains=layer.get("subdomains", "abc"),
            max_zoom=layer.get("max_zoom", 18),
            overlay=False,
        ).add_to(fmap)
    return fmap


_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def folium_csp(page: str) -> str:
    """A Content-Security-Policy for a folium page: its own inline scripts by hash (folium
    writes the map as inline script), vendored files from 'self', tiles from the basemap."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(m.encode()).digest()).decode() + "'"
        for m in _INLINE_SCRIPT.findall(page)
    )
    _, layers, _ = basemap_layers(get_settings())
    tiles = " ".join(tile_origins(layers))
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {hashes}",
            # folium and Leaflet set style attributes in markup; styles cannot run code.
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: {tiles}".rstrip(),
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "frame-ancestors 'self'",
        ]
    )


def rows_geojson(session: Session, stmt: Any) -> dict[str, Any]:
    """``stmt``'s rows as a FeatureCollection: its ``geometry`` column (``ST_AsGeoJSON`` text)
    is the geometry, every other column a property."""
    features = []
    for row in session.execute(stmt):
        props = dict(row._mapping)
        geometry = json.loads(props.pop("geometry"))
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    return {"type": "FeatureCollection", "features": features}


def river_map_html(session: Session, river_id: int) -> str:
    """The folium page of ``river_id``: segments coloured by county, Leshan's counties, the
    river beyond Leshan dashed, and a header naming its chiefs today (404 if unknown)."""
    river = get_river(session, river_id, today_local())
    counties = rows_geojson(
        session,
        select(
            AdminArea.code,
            AdminArea.name,
            func.ST_AsGeoJSON(func.ST_SimplifyPreserveTopology(AdminArea.geom, 0.002), 5).label(
                "geometry"
            ),
        ).where(AdminArea.role == "focus_county"),
    )
    whole = rows_geojson(
        session,
        select(
            River.name,
            func.ST_AsGeoJSON(func.ST_SimplifyPreserveTopology(River.geom, 0.001), 5).label(
                "geometry"
            ),
        ).where(River.id == river_id),
    )
    segments = rows_geojson(
        session,
        select(
            Segment.id,
            Segment.county_code,
            AdminArea.name.label("county"),
            func.round(Segment.length_m / 1000.0).label("km"),
            func.ST_AsGeoJSON(Segment.geom, 5).label("geometry"),
        )
        .join(AdminArea, AdminArea.code == Segment.county_code)
        .where(Segment.river_id == river_id)
        .order_by(Segment.ord),
    )
    fmap = offline_map(location=[29.5, 103.7], zoom_start=9)
    folium.GeoJson(
        counties,
        name="区县 counties",
        style_function=lambda _f: {"color": "#777", "weight": 1, "fill": False, "dashArray": "4"},
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    ).add_to(fmap)
    folium.GeoJson(
        whole,
        name="河流全线 whole river",
        style_function=lambda _f: {"color": "#5b8db8", "weight": 2, "dashArray": "6 4"},
    ).add_to(fmap)
    colour = {
        code: COUNTY_COLOURS[i % len(COUNTY_COLOURS)]
        for i, code in enumerate(
            dict.fromkeys(f["properties"]["county_code"] for f in segments["features"])
        )
    }
    if segments["features"]:
        layer = folium.GeoJson(
            segments,
            name="河段 segments",
            style_function=lambda f: {
                "color": colour.get(f["properties"]["county_code"], "#0072B2"),
                "weight": 5,
            },
            tooltip=folium.GeoJsonTooltip(
                fields=["county", "km"], aliases=["区县 county", "长度 km"]
            ),
        ).add_to(fmap)
        fmap.fit_bounds(layer.get_bounds())  # type: ignore[arg-type]
    folium.LayerControl(collapsed=True).add_to(fmap)
    root = fmap.get_root()
    assert isinstance(root, folium.Figure)
    root.html.add_child(folium.Element(_header(river)))
    root.title = river.name
    # Without an icon link the browser asks for /favicon.ico, which does not exist.
    root.header.add_child(
        folium.Element('<link rel="icon" href="/static/icons/icon.svg" type="image/svg+xml">')
    )
    return str(root.render())


def _header(river: RiverOut) -> str:
    """The title box: name, length in Leshan, chiefs and liaison units today."""
    chiefs = "、".join(html.escape(c.name) for c in river.chiefs) or "—"
    units = "、".join(html.escape(u.name) for u in river.liaison_units) or "—"
    return (
        '<div class="rc-river-header">'
        f"<h1>{html.escape(river.name)}</h1>"
        f"<p>乐山境内长度 {river.length_km:.1f} km · 河长 {chiefs} · 联络员单位 {units}</p>"
        f"<p>日期 {today_local().isoformat()} · 界线不具权威性，公开地图须取得审图号。</p>"
        "</div>"
        "<style>.rc-river-header{position:absolute;z-index:1000;top:8px;left:56px;"
        "background:#fff;padding:4px 10px;border-radius:4px;font:13px sans-serif;"
        "box-shadow:0 1px 4px #0004}.rc-river-header h1{font-size:18px;margin:2px 0}"
        ".rc-river-header p{margin:2px 0}</style>"
    )
