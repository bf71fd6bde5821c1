"""Track cleaning: invalid coordinates, consecutive duplicates and single-point GPS spikes.

Distances are geodesic on the WGS84 ellipsoid (``pyproj.Geod``), in metres; speeds km/h.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pyproj import Geod

from service.errors import InvalidInput
from service.geo.tracks.model import ParsedTrack, TrackPoint

_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class CleanResult:
    """The cleaned track and how many points each rule dropped."""

    track: ParsedTrack
    dropped_invalid: int
    dropped_duplicates: int
    dropped_spikes: int


def clean_track(track: ParsedTrack, *, max_speed_kmh: float = 250.0) -> CleanResult:
    """Drop bad points segment by segment and return the counts.

    - invalid: NaN/infinite, longitude outside ±180°, latitude outside ±90°, or exactly
      (0, 0) — "null island", what receivers write before they have a fix.
    - duplicates: a point equal to the previous kept one in lon, lat and time. A repeated
      position with a *later* time is a stop, not a duplicate: it is kept because it
      carries the patrol's duration.
    - spikes: a point B reached from the previous kept point A faster than
      ``max_speed_kmh`` and left for the next point C faster than that too, while A→C
      itself is plausible — a jump out and back. Sustained fast travel (every leg fast,
      A→C fast as well) and a one-way jump (a gap in reception) are kept. Speeds need times
      on A, B and C; an untimed track gets no spike filtering. The first and last point of
      a segment are never spikes (there is no "out and back" to see); a cluster of two or
      more consecutive wild points is not caught by this rule.

    Empty segments are removed. Raises InvalidInput when no valid point remains.
    """
    dropped_invalid = dropped_duplicates = dropped_spikes = 0
    segments: list[list[TrackPoint]] = []
    for segment in track.segments:
        valid = [p for p in segment if _valid(p)]
        dropped_invalid += len(segment) - len(valid)
        unique = _without_duplicates(valid)
        dropped_duplicates += len(valid) - len(unique)
        kept = _without_spikes(unique, max_speed_kmh / 3.6)
        dropped_spikes += len(unique) - len(kept)
        if kept:
            segments.append(kept)
    if not segments:
        raise InvalidInput(
            "no valid coordinates left after cleaning (all NaN, out of range or 0,0)",
            code="no_valid_points",
        )
    cleaned = ParsedTrack(format=track.format, segments=segments, warnings=list(track.warnings))
    return CleanResult(cleaned, dropped_invalid, dropped_duplicates, dropped_spikes)


def _valid(point: TrackPoint) -> bool:
    lon, lat = point.lon, point.lat
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return False
    if abs(lon) > 180.0 or abs(lat) > 90.0:
        return False
    return not (lon == 0.0 and lat == 0.0)


def _without_duplicates(points: list[TrackPoint]) -> list[TrackPoint]:
    kept: list[TrackPoint] = []
    for point in points:
        if kept:
            last = kept[-1]
            if last.lon == point.lon and last.lat == point.lat and last.time == point.time:
                continue
        kept.append(point)
    return kept


def _without_spikes(points: list[TrackPoint], max_speed_ms: float) -> list[TrackPoint]:
    if len(points) < 3:
        return list(points)
    # One vectorised geodesic call for all consecutive legs; the rare extra legs (after a
    # dropped point, or A→C of a candidate) are computed one by one.
    legs = _consecutive_distances(points)
    kept = [points[0]]
    previous_kept = True  # whether kept[-1] is points[index - 1]
    for index in range(1, len(points) - 1):
        here, after = points[index], points[index + 1]
        before = kept[-1]
        out_m = legs[index - 1] if previous_kept else distance_m(before, here)
        if (
            _speed(before, here, out_m) > max_speed_ms
            and _speed(here, after, legs[index]) > max_speed_ms
            and _speed(before, after, distance_m(before, after)) <= max_speed_ms
        ):
            previous_kept = False
            continue
        kept.append(here)
        previous_kept = True
    kept.append(points[-1])
    return kept


def _consecutive_distances(points: list[TrackPoint]) -> list[float]:
    lons = [p.lon for p in points]
    lats = [p.lat for p in points]
    _az, _back, metres = _GEOD.inv(lons[:-1], lats[:-1], lons[1:], lats[1:])
    return [float(m) for m in metres]


def _speed(a: TrackPoint, b: TrackPoint, metres: float) -> float:
    """Speed over ``metres`` from a to b in m/s; 0 when either time is missing (never a spike)."""
    if a.time is None or b.time is None:
        return 0.0
    seconds = abs((b.time - a.time).total_seconds())
    if seconds == 0.0:
        return math.inf if metres > 0.0 else 0.0
    return metres / seconds


def distance_m(a: TrackPoint, b: TrackPoint) -> float:
    """Geodesic distance between two points on the WGS84 ellipsoid, in metres."""
    _az, _back, metres = _GEOD.inv(a.lon, a.lat, b.lon, b.lat)
    return float(metres)
