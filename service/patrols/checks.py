"""Checks of an uploaded track before it is stored as a patrol (issue 14): plausible times
that run forwards, and a track that comes into the city at all. Both refuse with 422 naming
the reason; the upload then leaves no row."""

from __future__ import annotations

from itertools import pairwise

from sqlalchemy.orm import Session

from service.bounds import moment_problem
from service.errors import InvalidInput
from service.geo.tracks import ParsedTrack
from service.settings import get_settings
from service.sql import load_sql


def check_track_times(track: ParsedTrack) -> None:
    """Refuse (422, naming why) a track whose times are implausible or run backwards.

    - Every time lies in the bounds of ``service.bounds`` (2000-01-01 .. tomorrow), checked
      before the times are converted to local days: a GPX time in year 9999 no longer
      overflows (issue 14).
    - Within each piece, the times run forwards: more steps back than forward means the file
      is reversed or its clock broken (a single step back of a device clock is tolerated).
    """
    for moment in (track.started_at, track.ended_at):
        problem = moment_problem(moment) if moment is not None else None
        if problem is not None:
            raise InvalidInput(
                f"the track's times are implausible: {problem}",
                code="track_time_out_of_range",
                field="file",
            )
    for seg in track.segments:
        times = [p.time for p in seg if p.time is not None]
        back = sum(1 for a, b in pairwise(times) if b < a)
        forward = sum(1 for a, b in pairwise(times) if b > a)
        if back > forward:
            raise InvalidInput(
                f"the track's times run backwards ({back} steps back, {forward} forward): "
                "check the device clock or the file",
                code="track_times_backwards",
                field="file",
            )


def check_in_city(session: Session, wkb: bytes) -> None:
    """Refuse (422) a track that never enters the focus city: it is nobody's patrol here."""
    settings = get_settings()
    row = session.execute(
        load_sql("track_in_city"),
        {"wkb": wkb, "focus_city": settings.focus_city_code},
    ).one()
    if not row.touches:
        where = f" (it starts in {row.city_name})" if row.city_name else ""
        raise InvalidInput(
            f"the track lies wholly outside the city{where}: not a patrol here",
            code="outside_city",
            field="file",
        )
