"""Orient river lines downstream, given where the river leaves the area (its mouth).

Source layers rarely say which way a line runs. The caller names a point at or beyond the
downstream end; every part is turned so that it ends nearer that point, and the parts are
ordered from farthest to nearest, so the geometry reads upstream -> downstream.
"""

from __future__ import annotations

from shapely import LineString, MultiLineString, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import linemerge


def line_parts(geom: BaseGeometry) -> list[LineString]:
    """The LineStrings of a (Multi)LineString, merged where they touch end to end."""
    merged = linemerge(geom) if isinstance(geom, MultiLineString) else geom
    if isinstance(merged, LineString):
        return [merged]
    if isinstance(merged, MultiLineString):
        return list(merged.geoms)
    raise ValueError(f"expected lines, got {geom.geom_type}")


def orient_downstream(geom: BaseGeometry, mouth: tuple[float, float]) -> BaseGeometry:
    """Return ``geom`` with every part running towards ``mouth`` (lon, lat), parts in order.

    Distances here only rank parts, so plain degrees are fine (no metric is reported).
    """
    target = Point(mouth)
    parts = []
    for part in line_parts(geom):
        start, end = Point(part.coords[0]), Point(part.coords[-1])
        if start.distance(target) < end.distance(target):
            part = LineString(list(part.coords)[::-1])
        parts.append(part)
    parts.sort(key=lambda p: -Point(p.coords[-1]).distance(target))
    if len(parts) == 1:
        return parts[0]
    return MultiLineString(parts)
