"""The app's own files under ``static/``: safe path resolution, types, compression, caching.

A route rather than a Starlette ``StaticFiles`` mount because ``include_router`` does not
carry mounts over, and because the files are gzipped once and kept in memory (the whole
app shell plus Leaflet is a few hundred kilobytes).
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request, Response

from service.errors import NotFound
from service.settings import REPO_ROOT
from service.web.compress import compressed

STATIC_DIR = REPO_ROOT / "static"

MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".map": "application/json",
    ".md": "text/markdown; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}
COMPRESSIBLE = {".html", ".js", ".mjs", ".css", ".json", ".webmanifest", ".svg", ".map"}


@dataclass(frozen=True)
class _Cached:
    mtime_ns: int
    body: bytes
    gz: bytes | None


_cache: dict[Path, _Cached] = {}


def resolve(relative: str) -> Path:
    """The file under ``static/`` named by ``relative``; 404 for anything outside it."""
    missing = NotFound(f"no static file {relative[:200]!r}")
    try:  # a NUL byte (ValueError) or a name past the file system's limits (OSError): 404
        candidate = (STATIC_DIR / relative).resolve()
        if not candidate.is_relative_to(STATIC_DIR.resolve()) or not candidate.is_file():
            raise missing
    except (ValueError, OSError) as exc:
        raise missing from exc
    if candidate.suffix not in MEDIA_TYPES:
        raise missing
    return candidate


def _load(path: Path) -> _Cached:
    mtime = path.stat().st_mtime_ns
    hit = _cache.get(path)
    if hit is not None and hit.mtime_ns == mtime:
        return hit
    body = path.read_bytes()
    gz = gzip.compress(body, compresslevel=9) if path.suffix in COMPRESSIBLE else None
    entry = _Cached(mtime, body, gz)
    _cache[path] = entry
    return entry


def file_response(request: Request, path: Path, *, cache_control: str | None = None) -> Response:
    """Serve one file; vendored files are immutable per version, the app's own revalidate."""
    entry = _load(path)
    if cache_control is None:
        vendored = STATIC_DIR.resolve() / "vendor"
        cache_control = "public, max-age=86400" if path.is_relative_to(vendored) else "no-cache"
    response = compressed(
        request, entry.body, MEDIA_TYPES[path.suffix], cache_control=cache_control, gz=entry.gz
    )
    return response
