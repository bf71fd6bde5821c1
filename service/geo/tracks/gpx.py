"""GPX 1.0 and 1.1 reader: every ``trk``/``trkseg`` in file order, extensions ignored.

Elements are matched by local name in the document's own GPX namespace, so vendor
extensions (Garmin TrackPointExtension, ExpertGPS private elements) can never be mistaken
for a point's ``time`` or ``ele``. Coordinates are WGS84 degrees as GPX defines them.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import NamedTuple

from lxml import etree

from service.errors import InvalidInput
from service.geo.tracks._builder import TrackBuilder
from service.geo.tracks.model import ParsedTrack, ParseLimits, TrackPoint
from service.geo.tracks.times import parse_time
from service.geo.tracks.xmlsafe import clear, iter_xml, namespace, root_tag


class _Names(NamedTuple):
    """Qualified names of a point's children in the document's GPX namespace."""

    time: str
    ele: str


def read_gpx(data: bytes, limits: ParseLimits) -> ParsedTrack:
    """Parse GPX bytes; a file with only a route or only waypoints raises InvalidInput."""
    builder = TrackBuilder("gpx", limits)
    ns = namespace(root_tag(data))  # GPX 1.0's or 1.1's namespace, or none
    q = "{" + ns + "}" if ns else ""
    trkpt, trkseg, rtept, wpt = q + "trkpt", q + "trkseg", q + "rtept", q + "wpt"
    names = _Names(time=q + "time", ele=q + "ele")
    tags = [trkpt, trkseg, rtept, wpt, q + "trk", q + "rte", q + "metadata"]
    route_points = waypoints = bad_coords = bad_times = 0
    for event, element in iter_xml(data, ("start", "end"), tags):
        tag = element.tag
        if event == "start":
            if tag == trkseg:
                builder.start_segment()
            continue
        if tag == trkpt:
            point, coord_ok, time_ok = _point(element, names)
            bad_times += not time_ok
            if point is None:
                bad_coords += not coord_ok
            else:
                builder.add(point)
        elif tag == trkseg:
            builder.end_segment()
        elif tag == rtept:
            route_points += 1
        elif tag == wpt:
            waypoints += 1
        clear(element)
    if bad_coords:
        builder.warn(f"skipped {bad_coords:,} track points without a readable lat/lon")
    if bad_times:
        builder.warn(f"{bad_times:,} track points had an unreadable time, kept without one")
    if builder.count == 0:
        _refuse_without_track(route_points, waypoints)
    return builder.build(empty_message="GPX holds no track points (trkpt)", code="no_track")


def _refuse_without_track(route_points: int, waypoints: int) -> None:
    if route_points:
        raise InvalidInput(
            "GPX holds only a route (rte): a planned route is not a recorded patrol; "
            "upload the track (trk) the device recorded",
            code="route_only",
        )
    if waypoints:
        raise InvalidInput(
            "GPX holds only waypoints (wpt): marked places are not a recorded patrol; "
            "upload the track (trk) the device recorded",
            code="waypoints_only",
        )


def _point(element: etree._Element, names: _Names) -> tuple[TrackPoint | None, bool, bool]:
    """Return (point or None, coordinates readable, time readable-or-absent)."""
    try:
        lat = float(element.get("lat", ""))
        lon = float(element.get("lon", ""))
    except ValueError:
        return None, False, True
    time: datetime | None = None
    ele: float | None = None
    time_ok = True
    for child in element:  # direct children only; faster than findtext's path lookup
        tag, text = child.tag, child.text
        if tag == names.time and text is not None and text.strip():
            try:
                time = parse_time(text)
            except ValueError:
                time_ok = False
        elif tag == names.ele and text is not None:
            try:
                value = float(text)
                ele = value if math.isfinite(value) else None
            except ValueError:
                ele = None
    return TrackPoint(lon=lon, lat=lat, time=time, ele=ele), True, time_ok
