"""Domain objects for a parsed GPS track, independent of the file format and of the database.

Coordinates are WGS84 longitude/latitude in decimal degrees (EPSG:4326 axis order lon, lat),
elevations are metres as written by the device, times are timezone-aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class TrackPoint:
    """One recorded fix.

    ``lon``/``lat`` in WGS84 degrees, ``time`` tz-aware UTC or None, ``ele`` in metres.
    """

    lon: float
    lat: float
    time: datetime | None
    ele: float | None = None


@dataclass
class ParsedTrack:
    """A track as read from one file.

    ``segments`` are the continuous recorded pieces in file order (a GPX ``trkseg``, a KML
    ``gx:Track`` or ``LineString``, a FIT stretch between timer stop and start). ``warnings``
    are short sentences for the uploader about what was skipped or repaired.
    """

    format: str
    segments: list[list[TrackPoint]]
    warnings: list[str] = field(default_factory=list)

    @property
    def points(self) -> int:
        """Number of points over all segments."""
        return sum(len(segment) for segment in self.segments)

    @property
    def has_times(self) -> bool:
        """True when at least one point carries a time, so ``started_at``/``ended_at`` exist.

        A file where only some points are timed also gets a warning from its reader; the
        caller falls back to the upload's ``date`` field only when this is False.
        """
        return any(point.time is not None for segment in self.segments for point in segment)

    @property
    def started_at(self) -> datetime | None:
        """Earliest point time (UTC), or None for an untimed track."""
        times = self._times()
        return min(times) if times else None

    @property
    def ended_at(self) -> datetime | None:
        """Latest point time (UTC), or None for an untimed track."""
        times = self._times()
        return max(times) if times else None

    def _times(self) -> list[datetime]:
        # min/max rather than first/last: a device clock that steps back once must not
        # make a patrol end before it started.
        return [p.time for segment in self.segments for p in segment if p.time is not None]


@dataclass(frozen=True)
class ParseLimits:
    """Resource limits applied while parsing; the upload byte limit is enforced upstream.

    ``max_kmz_uncompressed_bytes`` bounds the KML read out of a KMZ (bytes);
    ``max_compression_ratio`` refuses a KMZ member that inflates more than this many times;
    ``max_fit_messages`` bounds the data messages decoded from a FIT file (a 6-hour ride
    recorded every second holds about 24,000; 500,000 is some 70 hours of recording).
    """

    max_points: int = 500_000
    max_kmz_uncompressed_bytes: int = 50 * 1024 * 1024
    max_zip_members: int = 100
    max_compression_ratio: float = 200.0
    max_fit_messages: int = 500_000
