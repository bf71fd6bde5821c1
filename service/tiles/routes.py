"""HTTP: Mapbox vector tiles of the map layers (public fields only, cached, revalidatable).

The route is ``async`` and a cache hit touches neither a thread nor the database: the layer's
version comes from memory (``service.tiles.versions``), the body from the LRU. Only a miss
(or a version read when polling is off) goes to a worker thread and PostGIS.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from service.auth.deps import PERMISSION_ATTR, requires
from service.auth.matrix import PERMISSIONS, PUBLIC
from service.bounds import PlausibleDate
from service.concurrency import loop_semaphore
from service.db import Executor, get_read_engine, get_session
from service.errors import InvalidInput, NotFound
from service.params import check_range
from service.patrols.coverage import check_public_period
from service.settings import Settings, get_settings
from service.tiles.boxes import segment_boxes
from service.tiles.cache import TileCache
from service.tiles.queries import LAYERS, MAX_ZOOM, TileRequest, layer_version, render_tile
from service.tiles.versions import PolledVersions, polled_versions, segment_coverage_token
from service.timeutil import today_local, year_bounds

MVT_MEDIA_TYPE = "application/vnd.mapbox-vector-tile"


def _permission(name: str) -> Callable[..., Any]:
    """``requires(name)``, except that a public permission resolves no caller: looking up a
    token's account would cost a session per tile for nothing. The matrix still decides."""
    if PERMISSIONS[name] != PUBLIC:
        return requires(name)

    async def public() -> None:
        return None

    public.__name__ = f"requires_{name.replace('.', '_')}"
    setattr(public, PERMISSION_ATTR, name)
    return public


router = APIRouter(tags=["tiles"], dependencies=[Depends(_permission("tiles.read"))])


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


def _period(date_from: date | None, date_to: date | None) -> tuple[date, date]:
    """``from``/``to`` with the current year (Asia/Shanghai) filling what is missing."""
    check_range(date_from, date_to)
    year_start, year_end = year_bounds(today_local().year)
    if date_from is None:
        date_from = (
            year_start if date_to is None or date_to >= year_start else date(date_to.year, 1, 1)
        )
    end = date_to or max(year_end, date_from)
    # Tiles are public whoever asks (and shared by caches): 28 days at least (issue 14).
    check_public_period(date_from, end, open_ended=date_to is None)
    return date_from, end


def _etag_matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    candidates = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in candidates or etag in candidates


def _answer(
    tile: TileRequest,
    version: int | str,
    if_none_match: str | None,
    settings: Settings,
    render: Callable[[], bytes] | None,
) -> Response | None:
    """304, a cached tile, or (with ``render``) a fresh one; None on a miss without render."""
    tag = tile.params_tag()
    etag = f'"{tile.layer}-v{version}{"-" + tag if tag else ""}"'
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={settings.tile_max_age_s}"}
    if _etag_matches(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    cache = get_tile_cache()
    body = cache.get((tile, version))
    if body is None:
        if render is None:
            return None
        body = render()
        cache.put((tile, version), body)
        headers["X-Tile-Cache"] = "miss"
    else:
        headers["X-Tile-Cache"] = "hit"
    return Response(content=body, media_type=MVT_MEDIA_TYPE, headers=headers)


@contextmanager
def _session(request: Request) -> Iterator[Executor]:
    """A read-pool connection (one round trip per tile), opened only when a tile must be read
    from the database; the request's session instead where tests override ``get_session``."""
    provider = request.app.dependency_overrides.get(get_session)
    if provider is None:
        with get_read_engine().connect() as conn:
            yield conn
        return
    made = provider()
    if isinstance(made, Session):
        yield made
        return
    try:
        yield next(made)
    finally:
        made.close()


def _from_database(
    request: Request,
    tile: TileRequest,
    version: int | str | None,
    if_none_match: str | None,
    settings: Settings,
) -> Response:
    with _session(request) as session:
        if version is None:
            version = layer_version(session, tile.layer)
            if tile.layer == "segments":
                _, ids = segment_boxes.candidates(session, tile.z, tile.x, tile.y)
                version = f"{version}.{segment_coverage_token(session, ids)}"
        known = version
        response = _answer(
            tile,
            known,
            if_none_match,
            settings,
            lambda: render_tile(session, tile, known, settings.metric_srid),
        )
        assert response is not None
        return response


def _segments_version(poller: PolledVersions | None, version: int, tile: TileRequest) -> str | None:
    """A segments tile's version: the layer's (segment lines) and the sum of its segments'
    coverage versions (issue 22), so an upload invalidates only the tiles of the segments it
    covered. None when the segment boxes are not loaded yet (the render path loads them)."""
    ids = segment_boxes.loaded_candidates(tile.z, tile.x, tile.y)
    token = poller.coverage_token(ids) if poller is not None and ids is not None else None
    return None if token is None else f"{version}.{token}"


@router.get(
    "/tiles/{layer}/{z}/{x}/{y}.pbf",
    operation_id="get_tile",
    response_class=Response,
    responses={
        200: {"content": {MVT_MEDIA_TYPE: {}}, "description": "the tile (may be empty)"},
        304: {"description": "the tile has not changed since the ETag in If-None-Match"},
    },
)
async def get_tile(
    request: Request,
    layer: str,
    z: int,
    x: int,
    y: int,
    date_from: Annotated[
        PlausibleDate | None,
        Query(
            alias="from",
            description="segments: first day of the coverage period "
            "(Asia/Shanghai); default 1 January of the current year",
        ),
    ] = None,
    date_to: Annotated[
        PlausibleDate | None,
        Query(
            alias="to",
            description="segments: last day of the coverage period; "
            "default 31 December of the current year",
        ),
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
        tile = TileRequest(layer, z, x, y, *_period(date_from, date_to))
    settings = get_settings()
    poller = polled_versions(settings.tile_version_poll_s)
    polled = poller.get(layer) if poller is not None else None
    version: int | str | None = polled
    if polled is not None and layer == "segments":
        version = _segments_version(poller, polled, tile)
    if version is not None:
        hit = _answer(tile, version, if_none_match, settings, None)
        if hit is not None:
            return hit
    # Few renders at a time per worker: more threads only contend for the GIL and the cores
    # with PostgreSQL's backends. On 2 cores, Leshan z10 cold: 777-922 tiles/s with 2 per
    # worker, 603-756 with 4, 671-702 unbounded (p99 41 ms against 207-231 ms).
    async with loop_semaphore("tile-renders", settings.tile_render_concurrency):
        return await run_in_threadpool(
            _from_database, request, tile, version, if_none_match, settings
        )
