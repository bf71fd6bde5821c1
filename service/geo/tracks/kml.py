"""KML 2.2 reader: ``LineString``, ``gx:Track`` (``when``, ``gx:coord``), ``gx:MultiTrack``.

Each LineString and each gx:Track is one segment, in file order. Points, polygons and
styles are ignored: they are places, not a recorded path. KML coordinates are WGS84
lon,lat[,alt] by definition (altitude in metres).
"""

from __future__ import annotations

import math

from lxml import etree

from service.errors import InvalidInput
from service.geo.tracks._builder import TrackBuilder
from service.geo.tracks.model import ParsedTrack, ParseLimits, TrackPoint
from service.geo.tracks.times import parse_time
from service.geo.tracks.xmlsafe import clear, iter_xml, localname

# "{*}" matches any namespace: KML 2.2, Google's 2.1 and gx: extensions, or none at all.
_TAGS = [f"{{*}}{name}" for name in ("Track", "LineString", "Point", "Placemark", "Folder")]


def read_kml(data: bytes, limits: ParseLimits, fmt: str = "kml") -> ParsedTrack:
    """Parse KML bytes (``fmt`` is "kmz" when they came out of a KMZ archive)."""
    builder = TrackBuilder(fmt, limits)
    placemark_points = 0
    for _event, element in iter_xml(data, ("end",), _TAGS):
        name = localname(element.tag)
        if name == "Track":
            _track(element, builder)
            clear(element)
        elif name == "LineString":
            _line_string(element, builder)
            clear(element)
        elif name == "Point":
            placemark_points += 1
        else:
            clear(element)
    if builder.count == 0 and placemark_points:
        raise InvalidInput(
            "KML holds only placemark points: marked places are not a recorded patrol",
            code="waypoints_only",
        )
    return builder.build(
        empty_message="KML holds no track (LineString or gx:Track)", code="no_track"
    )


def _track(element: etree._Element, builder: TrackBuilder) -> None:
    whens: list[str] = []
    coords: list[str] = []
    for child in element:
        name = localname(child.tag)
        if name == "when":
            whens.append(child.text or "")
        elif name == "coord":
            coords.append(child.text or "")
    if whens and len(whens) != len(coords):
        raise InvalidInput(
            f"gx:Track at line {element.sourceline} has {len(whens)} <when> "
            f"but {len(coords)} <gx:coord>; KML requires one time per coordinate",
            code="kml_track_mismatch",
        )
    builder.start_segment()
    bad_times = 0
    for index, text in enumerate(coords):
        values = _floats(text.split())
        if values is None:
            continue
        time = None
        if whens:
            try:
                time = parse_time(whens[index])
            except ValueError:
                bad_times += 1
        builder.add(TrackPoint(lon=values[0], lat=values[1], time=time, ele=_ele(values)))
    builder.end_segment()
    if bad_times:
        builder.warn(f"{bad_times:,} gx:Track points had an unreadable <when>, kept without a time")


def _line_string(element: etree._Element, builder: TrackBuilder) -> None:
    text = "".join(child.text or "" for child in element if localname(child.tag) == "coordinates")
    builder.start_segment()
    skipped = 0
    for chunk in text.split():
        values = _floats(chunk.split(","))
        if values is None:
            skipped += 1
            continue
        builder.add(TrackPoint(lon=values[0], lat=values[1], time=None, ele=_ele(values)))
    builder.end_segment()
    if skipped:
        builder.warn(f"skipped {skipped:,} unreadable LineString coordinates")


def _floats(parts: list[str]) -> list[float] | None:
    if len(parts) < 2:
        return None
    try:
        return [float(part) for part in parts[:3]]
    except ValueError:
        return None


def _ele(values: list[float]) -> float | None:
    return values[2] if len(values) > 2 and math.isfinite(values[2]) else None
