"""HTTP: Mapbox vector tiles of the map layers (public fields only, cached, revalidatable)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Response

from service.auth.deps import requires
from service.db import SessionDep
from service.errors import InvalidInput, NotFound
from service.params import check_range
from service.settings import get_settings
from service.tiles.cache import TileCache
from service.tiles.queries import LAYERS, MAX_ZOOM, TileRequest, layer_version, render_tile
from service.timeutil import today_local, year_bounds

MVT_MEDIA_TYPE = "application/vnd.mapbox-vector-tile"

router = APIRouter(tags=["tiles"], dependencies=[Depends(requires("tiles.read"))])


@lru_cache
def get_tile_cache() -> TileCache:
    """The process-wide tile cache (one per worker process)."""
    return TileCache(get_settings().tile_cache_max_bytes)


def _check_tile(layer: str, z: int, x: int, y: int) -> None:
    if layer not in LAYERS:
        raise NotFound(f"no tile layer {layer!r}", layers=list(LAYERS))
    if not 0 <= z <= MAX_ZOOM:
        raise InvalidInput(f"zoom must be between 0 and {MAX_ZOOM}, got {z}")
    side = 1 << z
    if not (0 <= x < side and 0 <= y < side):
        raise NotFound(f"tile {z}/{x}/{y} is outside the grid: x and y run 0..{side - 1} at z{z}")


def _etag_matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    candidates = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in candidates or etag in candidates


@router.get(
    "/tiles/{layer}/{z}/{x}/{y}.pbf",
    operation_id="get_tile",
    response_class=Response,
    responses={
        200: {"content": {MVT_MEDIA_TYPE: {}}, "description": "the tile (may be empty)"},
        304: {"description": "the tile has not changed since the ETag in If-None-Match"},
    },
)
def get_tile(
    session: SessionDep,
    layer: str,
    z: int,
    x: int,
    y: int,
    date_from: Annotated[
        date | None,
        Query(alias="from", description="segments: first day of the coverage period "
              "(Asia/Shanghai); default 1 January of the current year"),
    ] = None,
    date_to: Annotated[
        date | None,
        Query(alias="to", description="segments: last day of the coverage period; "
              "default 31 December of the current year"),
    ] = None,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """One Mapbox vector tile (XYZ, Web Mercator) of ``segments`` (with patrol coverage for
    the period ``from``..``to``), ``problems`` (public fields), ``areas`` or ``crossings``.

    Tiles carry an ``ETag`` built from the layer's data version, so ``If-None-Match`` gets a
    304 until the data under the layer changes.
    """
    _check_tile(layer, z, x, y)
    tile = TileRequest(layer, z, x, y)
    if layer == "segments":
        check_range(date_from, date_to)
        year_start, year_end = year_bounds(today_local().year)
        start = date_from or (year_start if date_to is None or date_to >= year_start
                              else date(date_to.year, 1, 1))
        end = date_to or max(year_end, start)
        tile = TileRequest(layer, z, x, y, start, end)
    version = layer_version(session, layer)
    etag = f'"{layer}-v{version}{"-" + tile.params_tag() if tile.params_tag() else ""}"'
    settings = get_settings()
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={settings.tile_max_age_s}"}
    if _etag_matches(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    cache = get_tile_cache()
    key = (tile, version)
    body = cache.get(key)
    headers["X-Tile-Cache"] = "hit" if body is not None else "miss"
    if body is None:
        body = render_tile(session, tile, version, settings.metric_srid)
        cache.put(key, body)
    return Response(content=body, media_type=MVT_MEDIA_TYPE, headers=headers)
