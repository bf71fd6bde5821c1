"""HTTP: the map page, its static files, its start-up config and simplified geometry.

Included last by ``service.main`` so the catch-all ``/static/{path}`` never shadows the API.
"""

from __future__ import annotations

import gzip
import json
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from service.auth.deps import requires
from service.auth.matrix import PERMISSIONS
from service.db import SessionDep
from service.settings import get_settings
from service.tiles.queries import layer_version
from service.web import assets, config, queries
from service.web.compress import compressed, json_response
from service.web.folium_map import folium_csp, river_map_html

router = APIRouter(tags=["web"])
_areas_cache: dict[tuple[int, int], tuple[bytes, bytes]] = {}
Public = Depends(requires("registry.read"))
ZoomQuery = Annotated[
    int,
    Query(
        ge=0,
        le=22,
        description="map zoom the geometry is simplified for (about one pixel's tolerance); "
        "clamped to 5..16",
    ),
]


@router.get("/", include_in_schema=False)
def index(request: Request) -> Response:
    """The map page (static HTML; all script in ES modules under /static/js)."""
    return assets.file_response(request, assets.resolve("index.html"))


@router.get("/sw.js", include_in_schema=False)
def service_worker(request: Request) -> Response:
    """The service worker, served from the root so its scope covers the whole page."""
    response = assets.file_response(request, assets.resolve("sw.js"), cache_control="no-cache")
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@router.get("/static/{path:path}", include_in_schema=False)
def static_file(request: Request, path: str) -> Response:
    return assets.file_response(request, assets.resolve(path))


@router.get("/api/v1/map-config", operation_id="map_config", dependencies=[Public])
def map_config(request: Request, session: SessionDep) -> Response:
    """Basemap tiles (from ``RIVERCHIEF_BASEMAP``), the city's extent, the data notice and which
    capabilities this server offers, so the page calls only endpoints that exist."""
    settings = get_settings()
    basemap, layers, warning = config.basemap_layers(settings)
    segments, extent = queries.segment_extent(session)
    bounds = queries.city_bounds(session)
    # The OpenAPI document lists every route, also those of included routers.
    paths = list(request.app.openapi().get("paths", {}))
    body = {
        "basemap": basemap,
        "tile_layers": layers,
        "tile_origins": config.tile_origins(layers),
        "warning": warning,
        "focus_city_code": settings.focus_city_code,
        "bounds": bounds or extent,
        # Province size: segments, problems and areas from vector tiles (issue 22).
        "tile_mode": segments > settings.map_tile_mode_segments,
        "capabilities": config.capabilities(request.app.state.composition.capabilities, paths),
        "data_notice": config.DATA_NOTICE,
        # The role matrix, so the workbench offers each role the controls it may use.
        "permissions": {
            name: rule if isinstance(rule, str) else sorted(rule)
            for name, rule in PERMISSIONS.items()
        },
    }
    return json_response(request, body)


@router.get("/api/v1/map/areas.geojson", operation_id="map_areas", dependencies=[Public])
def map_areas(request: Request, session: SessionDep, zoom: ZoomQuery = 8) -> Response:
    """Leshan, counties, neighbour cities and counties simplified for ``zoom`` (EPSG:4326),
    gzip-compressed, with an ETag. Kept in memory per zoom and data version: simplifying the
    polygons takes about a second, and they change only when boundaries are imported."""
    key = (queries.clamp_zoom(zoom), layer_version(session, "areas"))
    cached = _areas_cache.get(key)
    if cached is None:
        body = json.dumps(
            queries.areas(session, zoom), ensure_ascii=False, separators=(",", ":")
        ).encode()
        cached = (body, gzip.compress(body, compresslevel=6))
        if len(_areas_cache) > 32:  # a handful of zooms x versions; never grows unbounded
            _areas_cache.clear()
        _areas_cache[key] = cached
    return compressed(request, cached[0], "application/geo+json", gz=cached[1])


@router.get("/api/v1/map/rivers.geojson", operation_id="map_rivers", dependencies=[Public])
def map_rivers(request: Request, session: SessionDep, zoom: ZoomQuery = 8) -> Response:
    """Whole river lines (also beyond Leshan, for context) simplified for ``zoom``."""
    return json_response(request, queries.rivers(session, zoom), "application/geo+json")


@router.get(
    "/api/v1/rivers/{river_id}/map.html",
    operation_id="river_map_html",
    dependencies=[Public],
    response_class=Response,
)
def river_map(request: Request, session: SessionDep, river_id: int) -> Response:
    """A printable folium map of one river: its segments by county, boundaries, and coverage
    this year when that capability exists. Offline: vendored Leaflet only, no CDN."""
    html = river_map_html(session, river_id)
    return Response(
        html,
        media_type="text/html; charset=utf-8",
        headers={"Content-Security-Policy": folium_csp(html)},
    )
