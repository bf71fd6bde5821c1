"""The OpenAPI document, completed so that every response the app sends is documented.

FastAPI documents 422 as its own validation-error shape only, but domain errors
(``service.errors``) answer ``{"detail": "...", "code": ..., ...}`` with 400-429; and routes
that stream GeoJSON, GPX, spreadsheets or tiles declare ``application/json``. schemathesis
(tests/security/test_schemathesis.py) checks responses against this document, so it is
completed here, in one place, rather than in every route:

- ``Error``: the body of every domain error; documented as the ``default`` response and as
  an alternative for 422;
- extra 200 media types by path suffix (``.geojson`` → ``application/geo+json`` …).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {
            "description": "what is wrong, in words",
            "anyOf": [{"type": "string"}, {"type": "array"}],
        },
        "code": {"type": "string", "description": "a machine-readable reason"},
    },
    "additionalProperties": True,
}
SUFFIX_MEDIA = {
    ".geojson": "application/geo+json",
    ".gpx": "application/gpx+xml",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pbf": "application/vnd.mapbox-vector-tile",
    ".html": "text/html",
}


def _complete(document: dict[str, Any]) -> dict[str, Any]:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR_SCHEMA)
    error_ref = {"$ref": "#/components/schemas/Error"}
    for path, item in document.get("paths", {}).items():
        for operation in item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            responses.setdefault(
                "default",
                {"description": "error", "content": {"application/json": {"schema": error_ref}}},
            )
            invalid = responses.get("422", {}).get("content", {}).get("application/json")
            if invalid and "schema" in invalid and "anyOf" not in invalid["schema"]:
                invalid["schema"] = {"anyOf": [invalid["schema"], error_ref]}
            ok = responses.get("200")
            for suffix, media in SUFFIX_MEDIA.items():
                stem = path.split("?")[0]
                if ok is not None and stem.endswith((suffix, suffix + "}")):
                    content = ok.setdefault("content", {})
                    content.setdefault(media, content.get("application/json", {}))
    return document


def install_openapi(app: FastAPI) -> None:
    """Serve the completed document at /openapi.json (built once, on first request)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _complete(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    description=app.description,
                    routes=app.routes,
                    tags=app.openapi_tags,
                    servers=app.servers,
                )
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
