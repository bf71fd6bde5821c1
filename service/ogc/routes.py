"""HTTP: OGC API - Features Part 1 (Core, GeoJSON) at ``/ogc``, public like the registry.

Landing page, conformance, collections, items (bbox, datetime, limit, offset, next/prev links)
and single features, over our own queries (``service.ogc.queries``); see docs/ogc.md for why
this is not tipg or pygeoapi. Links are absolute, built from the request's base URL (which
honours X-Forwarded-* behind the proxy).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from starlette.datastructures import URL

from service.auth.deps import requires
from service.db import SessionDep
from service.errors import BadRequest, NotFound
from service.ogc import queries
from service.ogc.collections import COLLECTIONS, Collection
from service.ogc.params import (
    CRS84,
    ITEMS_PARAMS,
    parse_bbox,
    parse_datetime,
    parse_limit,
    parse_offset,
)
from service.security.clients import public_base_url, public_url
from service.settings import get_settings

GEOJSON = "application/geo+json"
JSON = "application/json"
DEFAULT_LIMIT = 10
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
]

router = APIRouter(prefix="/ogc", tags=["ogc"], dependencies=[Depends(requires("ogc.read"))])


class GeoJSONResponse(JSONResponse):
    media_type = GEOJSON


def _base(request: Request) -> str:
    """Links start at ``RIVERCHIEF_PUBLIC_BASE_URL`` (else the request's checked Host)."""
    return public_base_url(request) + "/ogc"


def _link(href: str, rel: str, type_: str = JSON, title: str | None = None) -> dict[str, str]:
    link = {"href": href, "rel": rel, "type": type_}
    if title:
        link["title"] = title
    return link


def _collection(name: str) -> Collection:
    collection = COLLECTIONS.get(name)
    if collection is None:
        raise NotFound(f"no collection {name!r}", collections=list(COLLECTIONS))
    return collection


def _check_format(request: Request) -> None:
    fmt = request.query_params.get("f")
    if fmt not in (None, "json", "geojson"):
        raise BadRequest(f"format f={fmt!r} is not offered: use f=json")


def _describe(session: SessionDep, request: Request, collection: Collection) -> dict[str, Any]:
    base = f"{_base(request)}/collections/{collection.id}"
    return {
        "id": collection.id,
        "title": collection.title,
        "description": collection.description,
        "keywords": list(collection.keywords),
        "itemType": "feature",
        "crs": [CRS84],
        "storageCrs": CRS84,
        "extent": queries.extent(session, collection),
        "links": [
            _link(base, "self", title=collection.title),
            _link(f"{base}/items", "items", GEOJSON, "features as GeoJSON"),
        ],
    }


@router.get("", operation_id="ogc_landing")
def landing(request: Request) -> JSONResponse:
    """OGC API landing page: links to the API definition, conformance and collections."""
    _check_format(request)
    base = _base(request)
    root = public_base_url(request)
    return JSONResponse(
        {
            "title": "riverchief OGC API - Features",
            "description": "河湖长制 map data (rivers, segments, areas, crossings, problems) as "
            "OGC API - Features; public fields only.",
            "links": [
                _link(base, "self", title="this document"),
                _link(
                    f"{root}/openapi.json",
                    "service-desc",
                    "application/vnd.oai.openapi+json;version=3.0",
                    "the API definition",
                ),
                _link(f"{root}/docs", "service-doc", "text/html", "the API documentation"),
                _link(f"{base}/conformance", "conformance", title="conformance classes"),
                _link(f"{base}/collections", "data", title="the feature collections"),
            ],
        }
    )


@router.get("/conformance", operation_id="ogc_conformance")
def conformance(request: Request) -> JSONResponse:
    """The conformance classes implemented: Part 1 Core and GeoJSON."""
    _check_format(request)
    return JSONResponse({"conformsTo": CONFORMANCE})


@router.get("/collections", operation_id="ogc_collections")
def collections(session: SessionDep, request: Request) -> JSONResponse:
    """All feature collections with their extents."""
    _check_format(request)
    base = _base(request)
    return JSONResponse(
        {
            "links": [_link(f"{base}/collections", "self")],
            "collections": [_describe(session, request, c) for c in COLLECTIONS.values()],
        }
    )


@router.get("/collections/{collection_id}", operation_id="ogc_collection")
def collection(session: SessionDep, request: Request, collection_id: str) -> JSONResponse:
    """One collection's description."""
    _check_format(request)
    return JSONResponse(_describe(session, request, _collection(collection_id)))


@router.get(
    "/collections/{collection_id}/items",
    operation_id="ogc_items",
    response_class=GeoJSONResponse,
)
def items(session: SessionDep, request: Request, collection_id: str) -> GeoJSONResponse:
    """Features of a collection, filtered by ``bbox`` (CRS84) and ``datetime`` (RFC 3339
    instant, date or interval), paged with ``limit`` (default 10) and ``offset``."""
    target = _collection(collection_id)
    params = request.query_params
    unknown = sorted(set(params) - ITEMS_PARAMS)
    if unknown:
        raise BadRequest(
            f"unknown query parameter(s): {', '.join(unknown)}", allowed=sorted(ITEMS_PARAMS)
        )
    _check_format(request)
    if params.get("bbox-crs") not in (None, CRS84):
        raise BadRequest(f"bbox-crs must be {CRS84}")
    bbox = parse_bbox(params.get("bbox"))
    when = parse_datetime(params.get("datetime"))
    limit = parse_limit(params.get("limit"), DEFAULT_LIMIT, get_settings().ogc_max_limit)
    offset = parse_offset(params.get("offset"))
    features, matched = queries.items(session, target, bbox, when, limit, offset)
    url = URL(public_url(request))
    links = [
        _link(str(url), "self", GEOJSON),
        _link(f"{_base(request)}/collections/{target.id}", "collection"),
    ]
    if offset + len(features) < matched:
        links.append(
            _link(
                str(url.include_query_params(offset=offset + limit, limit=limit)), "next", GEOJSON
            )
        )
    if offset > 0:
        links.append(
            _link(
                str(url.include_query_params(offset=max(offset - limit, 0), limit=limit)),
                "prev",
                GEOJSON,
            )
        )
    return GeoJSONResponse(
        {
            "type": "FeatureCollection",
            "timeStamp": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            "numberMatched": matched,
            "numberReturned": len(features),
            "features": features,
            "links": links,
        }
    )


@router.get(
    "/collections/{collection_id}/items/{feature_id}",
    operation_id="ogc_item",
    response_class=GeoJSONResponse,
)
def item(
    session: SessionDep, request: Request, collection_id: str, feature_id: str
) -> GeoJSONResponse:
    """One feature."""
    target = _collection(collection_id)
    _check_format(request)
    feature = queries.item(session, target, feature_id)
    if feature is None:
        raise NotFound(f"no feature {feature_id!r} in collection {collection_id!r}")
    base = f"{_base(request)}/collections/{target.id}"
    feature["links"] = [
        _link(f"{base}/items/{feature_id}", "self", GEOJSON),
        _link(base, "collection"),
    ]
    return GeoJSONResponse(feature)
