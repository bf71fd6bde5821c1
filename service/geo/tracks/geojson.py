"""GeoJSON reader (RFC 7946: WGS84 lon/lat degrees, elevation in metres).

Reads LineString and MultiLineString (bare geometry, Feature or FeatureCollection), with
times from a ``coordTimes`` or ``times`` property (togeojson's convention: one list per
line), and Point features carrying a ``time``/``timestamp``/``datetime`` property, ordered
by time into one segment. Coordinates that cannot be lon/lat are refused as a wrong CRS
rather than silently put somewhere on the globe.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from service.errors import BadRequest, InvalidInput, PayloadTooLarge, UnsupportedMedia
from service.geo.tracks._builder import TrackBuilder
from service.geo.tracks.model import ParsedTrack, ParseLimits, TrackPoint
from service.geo.tracks.times import parse_epoch, parse_time

_TIME_KEYS = ("time", "timestamp", "datetime")
_LINE_TIME_KEYS = ("coordTimes", "times")
_GEOJSON_TYPES = {
    "FeatureCollection",
    "Feature",
    "GeometryCollection",
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
}
_WGS84_CRS = ("CRS84", "4326", "CRS:84")


def load_json(data: bytes, limits: ParseLimits) -> Any:
    """Decode JSON bytes (UTF-8, BOM tolerated); unreadable → BadRequest.

    Every GeoJSON position is an array, so a document with more than twice
    ``limits.max_points`` arrays cannot be within the point limit: it is refused before
    ``json.loads`` turns it into Python objects (~16 bytes of memory per byte of input).
    """
    if data.count(b"[") > 2 * limits.max_points + 10_000:
        raise PayloadTooLarge(
            f"GeoJSON has more than {limits.max_points:,} positions",
            code="too_many_points",
            limit=limits.max_points,
        )
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise BadRequest(
            f"JSON is not UTF-8: {exc.reason} at byte {exc.start}", code="broken_json"
        ) from None
    except json.JSONDecodeError as exc:
        raise BadRequest(
            f"broken JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
            code="broken_json",
            line=exc.lineno,
            column=exc.colno,
        ) from None
    except (RecursionError, ValueError) as exc:
        # RecursionError: absurd nesting; ValueError: an integer past Python's digit limit.
        raise BadRequest(f"unreadable JSON: {type(exc).__name__}", code="broken_json") from None


def read_geojson(document: Any, limits: ParseLimits) -> ParsedTrack:
    """Turn a decoded GeoJSON object into a ParsedTrack."""
    if not isinstance(document, dict) or document.get("type") not in _GEOJSON_TYPES:
        raise UnsupportedMedia(
            "JSON that is not GeoJSON (no FeatureCollection, Feature or geometry type)",
            code="unsupported_format",
        )
    _check_crs(document)
    builder = TrackBuilder("geojson", limits)
    timed_points: list[tuple[datetime, TrackPoint]] = []
    untimed_points = 0
    for geometry, properties in _features(document):
        kind = geometry.get("type")
        coords = geometry.get("coordinates")
        if kind == "LineString":
            _add_line(builder, coords, _line_times(properties, 0, single=True))
        elif kind == "MultiLineString" and isinstance(coords, list):
            for index, line in enumerate(coords):
                _add_line(builder, line, _line_times(properties, index, single=False))
        elif kind == "Point":
            time = _point_time(properties)
            if time is None:
                untimed_points += 1
            else:
                timed_points.append((time, _point(coords, time)))
                if len(timed_points) + builder.count > limits.max_points:
                    raise builder.too_many()
    if timed_points:
        # Point exports are often grouped by property, not by time; time is the path order.
        timed_points.sort(key=lambda pair: pair[0])  # stable: equal times keep file order
        builder.add_segment([point for _time, point in timed_points])
    if builder.count == 0 and untimed_points:
        raise InvalidInput(
            "GeoJSON holds only points without times: marked places are not a recorded patrol",
            code="waypoints_only",
        )
    return builder.build(
        empty_message="GeoJSON holds no LineString, MultiLineString or timed Point features",
        code="no_track",
    )


def _features(document: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    kind = document.get("type")
    if kind == "FeatureCollection":
        for feature in _list(document.get("features")):
            if isinstance(feature, dict):
                yield from _features(feature)
    elif kind == "Feature":
        geometry = document.get("geometry")
        properties = document.get("properties")
        if isinstance(geometry, dict):
            props = properties if isinstance(properties, dict) else {}
            if geometry.get("type") == "GeometryCollection":
                for member in _list(geometry.get("geometries")):
                    if isinstance(member, dict):
                        yield member, props
            else:
                yield geometry, props
    elif kind == "GeometryCollection":
        for member in _list(document.get("geometries")):
            if isinstance(member, dict):
                yield member, {}
    elif isinstance(kind, str):
        yield document, {}


def _check_crs(document: dict[str, Any]) -> None:
    # The 2008 GeoJSON draft allowed a "crs" member; RFC 7946 dropped it. Honour it only
    # to refuse a file that says plainly it is not WGS84 lon/lat.
    crs = document.get("crs")
    if not isinstance(crs, dict):
        return
    properties = crs.get("properties")
    name = str(properties.get("name", "")) if isinstance(properties, dict) else ""
    if name and not any(name.upper().endswith(ok) for ok in _WGS84_CRS):
        raise InvalidInput(
            f"GeoJSON declares CRS {name!r}; coordinates must be WGS84 lon/lat (EPSG:4326)",
            code="wrong_crs",
        )


def _point(raw: Any, time: datetime | None) -> TrackPoint:
    if not isinstance(raw, list) or len(raw) < 2:
        raise InvalidInput("GeoJSON position must be [lon, lat(, ele)]", code="bad_coordinates")
    numbers = [_number(value) for value in raw[:3]]
    lon, lat = numbers[0], numbers[1]
    if lon is None or lat is None or (len(raw) > 2 and raw[2] is not None and numbers[2] is None):
        raise InvalidInput(f"GeoJSON position {raw!r:.60} is not numeric", code="bad_coordinates")
    ele = numbers[2] if len(numbers) > 2 else None
    # Non-finite values pass through for clean_track to count as invalid points.
    if math.isfinite(lon) and math.isfinite(lat) and (abs(lon) > 180 or abs(lat) > 90):
        raise InvalidInput(
            f"coordinate ({lon}, {lat}) is not WGS84 lon/lat: the GeoJSON looks projected "
            "(a wrong CRS, e.g. metres in a Gauss-Krüger or Web Mercator grid) or has "
            "latitude and longitude swapped; export it as EPSG:4326",
            code="wrong_crs",
        )
    if ele is not None and not math.isfinite(ele):
        ele = None
    return TrackPoint(lon=lon, lat=lat, time=time, ele=ele)


def _number(value: Any) -> float | None:
    """A JSON number as float; strings and booleans are not numbers in GeoJSON."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        return float(value)
    except OverflowError:  # an integer literal too large for a float
        return math.inf


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _add_line(builder: TrackBuilder, coords: Any, times: list[Any] | None) -> None:
    if not isinstance(coords, list):
        return
    if times is not None and len(times) != len(coords):
        builder.warn(f"ignored {len(times)} times for a line of {len(coords)} coordinates")
        times = None
    builder.start_segment()
    for index, raw in enumerate(coords):
        builder.add(_point(raw, _time(times[index]) if times is not None else None))
    builder.end_segment()


def _line_times(properties: dict[str, Any], index: int, *, single: bool) -> list[Any] | None:
    for key in _LINE_TIME_KEYS:
        value = properties.get(key)
        if not isinstance(value, list):
            continue
        if single:
            return value
        # MultiLineString: one list per line; a flat list cannot be attributed safely.
        if index < len(value) and isinstance(value[index], list):
            return list(value[index])
        return None
    return None


def _point_time(properties: dict[str, Any]) -> datetime | None:
    for key in _TIME_KEYS:
        if key in properties and properties[key] is not None:
            return _time(properties[key])
    return None


def _time(value: Any) -> datetime | None:
    try:
        if isinstance(value, str):
            return parse_time(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return parse_epoch(float(value))
    except ValueError:
        return None
    return None
