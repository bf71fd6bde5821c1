"""Collects segments while a reader walks a file, enforcing the point limit as it goes."""

from __future__ import annotations

from service.errors import InvalidInput, PayloadTooLarge
from service.geo.tracks.model import ParsedTrack, ParseLimits, TrackPoint


class TrackBuilder:
    """Accumulates points into segments; refuses a file past ``limits.max_points`` early.

    Checking while reading (not after) keeps memory bounded for a hostile file of
    millions of tiny points.
    """

    def __init__(self, fmt: str, limits: ParseLimits) -> None:
        self.format = fmt
        self.limits = limits
        self.segments: list[list[TrackPoint]] = []
        self.warnings: list[str] = []
        self.count = 0
        self.untimed = 0
        self._current: list[TrackPoint] | None = None

    def start_segment(self) -> None:
        """Begin a new segment; an open one is closed first."""
        self.end_segment()
        self._current = []

    def add(self, point: TrackPoint) -> None:
        """Append a point to the open segment (opening one if needed)."""
        if self._current is None:
            self._current = []
        self.count += 1
        if self.count > self.limits.max_points:
            raise self.too_many()
        if point.time is None:
            self.untimed += 1
        self._current.append(point)

    def end_segment(self) -> None:
        """Close the open segment; empty segments are dropped."""
        if self._current:
            self.segments.append(self._current)
        self._current = None

    def add_segment(self, points: list[TrackPoint]) -> None:
        """Add a whole segment at once."""
        self.start_segment()
        for point in points:
            self.add(point)
        self.end_segment()

    def too_many(self) -> PayloadTooLarge:
        """The error for a file past ``limits.max_points``."""
        return PayloadTooLarge(
            f"track has more than {self.limits.max_points:,} points",
            code="too_many_points",
            limit=self.limits.max_points,
        )

    def warn(self, message: str) -> None:
        """Record a warning for the uploader."""
        self.warnings.append(message)

    def build(
        self, *, empty_message: str = "file holds no track points", code: str = "no_track"
    ) -> ParsedTrack:
        """Return the ParsedTrack; raise InvalidInput when no point was read at all."""
        self.end_segment()
        if self.count == 0:
            raise InvalidInput(empty_message, code=code)
        if 0 < self.untimed < self.count:
            self.warn(f"{self.untimed:,} of {self.count:,} points have no time")
        return ParsedTrack(format=self.format, segments=self.segments, warnings=self.warnings)
