"""Format detection by content; the file name is only a hint for the error message.

Phones rename files freely (``track.gpx.txt``, ``export.xml``, a KMZ saved as ``.zip``),
so the bytes decide: zip magic → KMZ, a FIT header, an XML root ``gpx``/``kml``, JSON.
"""

from __future__ import annotations

from pathlib import PurePath

from service.errors import BadRequest, UnsupportedMedia
from service.geo.tracks.fit import is_fit
from service.geo.tracks.xmlsafe import root_name

FORMATS = ("gpx", "kml", "kmz", "geojson", "fit")
_KNOWN_SUFFIXES = {".gpx", ".kml", ".kmz", ".geojson", ".json", ".fit"}
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def detect_format(data: bytes, filename: str | None = None) -> str:
    """Return one of FORMATS for ``data``; raise BadRequest or UnsupportedMedia otherwise."""
    if not data.strip():
        raise BadRequest("the uploaded file is empty", code="empty_file")
    if data.startswith(_ZIP_MAGIC):
        return "kmz"
    if is_fit(data):
        return "fit"
    head = _text_head(data)
    if head.startswith("<"):
        root = root_name(data)
        if root in ("gpx", "kml"):
            return root
        raise UnsupportedMedia(
            f"XML with root <{root}> is neither GPX nor KML", code="unsupported_format"
        )
    if head.startswith(("{", "[")):
        return "geojson"
    suffix = PurePath(filename).suffix.lower() if filename else ""
    if suffix in _KNOWN_SUFFIXES:
        raise BadRequest(
            f"{filename!r} is named like a {suffix[1:].upper()} file but its content is not one",
            code="unreadable",
        )
    raise UnsupportedMedia(
        "unknown track format: send GPX, KML, KMZ, GeoJSON or FIT", code="unsupported_format"
    )


def _text_head(data: bytes) -> str:
    """First non-blank character(s) of a text file, whatever its BOM; "" for binary."""
    head = data[:64]
    if head.startswith(b"\xff\xfe"):
        text = head[2:].decode("utf-16-le", errors="ignore")
    elif head.startswith(b"\xfe\xff"):
        text = head[2:].decode("utf-16-be", errors="ignore")
    else:
        text = head.removeprefix(_BOMS[0]).decode("utf-8", errors="ignore")
    return text.lstrip()
