"""Track-file readers: uploaded GPS bytes → a cleaned ``ParsedTrack`` (no database here).

``parse_track`` sniffs the format and reads GPX, KML/KMZ, GeoJSON or FIT safely;
``clean_track`` drops invalid coordinates, duplicates and GPS spikes. Coordinates are WGS84
lon/lat degrees, times tz-aware UTC, distances metres. Errors are ``service.errors``
classes with a machine ``code`` in their detail.
"""

from __future__ import annotations

from service.geo.tracks.clean import CleanResult, clean_track
from service.geo.tracks.fit import read_fit
from service.geo.tracks.geojson import load_json, read_geojson
from service.geo.tracks.gpx import read_gpx
from service.geo.tracks.kml import read_kml
from service.geo.tracks.kmz import read_kmz
from service.geo.tracks.model import ParsedTrack, ParseLimits, TrackPoint
from service.geo.tracks.sniff import FORMATS, detect_format

__all__ = [
    "FORMATS",
    "CleanResult",
    "ParseLimits",
    "ParsedTrack",
    "TrackPoint",
    "clean_track",
    "detect_format",
    "parse_track",
]


def parse_track(
    data: bytes, filename: str | None = None, *, limits: ParseLimits | None = None
) -> ParsedTrack:
    """Parse an uploaded track file; the format comes from the content, ``filename`` is a hint.

    Raises BadRequest (unreadable: broken XML/JSON/zip/FIT, DTDs, zip bombs), InvalidInput
    (readable but not a recorded track: route or waypoints only, wrong CRS), PayloadTooLarge
    (past ``limits``) or UnsupportedMedia (not a format we read).
    """
    limits = limits or ParseLimits()
    fmt = detect_format(data, filename)
    if fmt == "gpx":
        return read_gpx(data, limits)
    if fmt == "kml":
        return read_kml(data, limits)
    if fmt == "kmz":
        return read_kmz(data, limits)
    if fmt == "fit":
        return read_fit(data, limits)
    return read_geojson(load_json(data, limits), limits)
