"""Writes: ingest an uploaded track (parse, clean, store, match, judge) and void a patrol."""

from __future__ import annotations

import hashlib
import math
import struct
from dataclasses import dataclass

import numpy as np
from pyproj import Geod
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.auth.models import UserAccount
from service.auth.scope import Scope
from service.errors import Conflict, InvalidInput, NotFound
from service.geo.datum import gcj02_to_wgs84
from service.geo.tracks import clean_track, parse_track
from service.officials.models import Official
from service.patrols.access import check_may_act_for, check_may_see, default_chief
from service.patrols.checks import check_in_city, check_track_times
from service.patrols.matching import judge_patrols, match_patrols
from service.patrols.models import Patrol, PatrolUpload
from service.patrols.upload import PatrolUploadForm
from service.timeutil import local_date, now_utc, today_local

_GEOD = Geod(ellps="WGS84")
_LINESTRING_M = 2002  # ISO WKB type codes
_MULTILINESTRING_M = 2005


@dataclass(frozen=True)
class Ingested:
    patrol: Patrol
    created: bool


def track_wkb(parts: list[np.ndarray]) -> bytes:
    """ISO WKB of a MultiLineString M from (n, 3) arrays of lon, lat, epoch seconds (or NaN)."""
    chunks = [struct.pack("<BII", 1, _MULTILINESTRING_M, len(parts))]
    for arr in parts:
        chunks.append(struct.pack("<BII", 1, _LINESTRING_M, len(arr)))
        chunks.append(np.ascontiguousarray(arr, dtype="<f8").tobytes())
    return b"".join(chunks)


def track_length_m(parts: list[np.ndarray]) -> float:
    """Geodesic length of the pieces on the WGS84 ellipsoid (pyproj.Geod), metres.

    The same measure as ``ST_Length(geom::geography)``, without a round trip for 100k points.
    """
    return float(sum(_GEOD.line_length(arr[:, 0], arr[:, 1]) for arr in parts))


def geom_from_wkb(wkb: bytes) -> object:
    """The SQL expression that turns ``track_wkb`` bytes into an EPSG:4326 geometry."""
    return func.ST_SetSRID(func.ST_GeomFromWKB(wkb), 4326)


def _existing(session: Session, user: UserAccount, patrol: Patrol | None) -> Ingested | None:
    if patrol is None:
        return None
    check_may_see(session, Scope.of(user), patrol)  # someone else's client_id: name nothing
    return Ingested(patrol, created=False)


def ingest(session: Session, user: UserAccount, form: PatrolUploadForm) -> Ingested:
    """Store an uploaded track as a patrol of a chief; the same file or client_id again is a no-op.

    Steps: resolve the chief; return the existing patrol for the same client_id or the same
    (chief, file hash); parse and clean; convert GCJ-02 to WGS84; store the raw bytes, the
    cleaned track (MultiLineString M, M = epoch seconds) and match + judge it in SQL.
    """
    sha = hashlib.sha256(form.data).hexdigest()
    if form.client_id is not None:
        found = _existing(
            session, user, session.scalar(select(Patrol).where(Patrol.client_id == form.client_id))
        )
        if found is not None:
            return found
    chief_id = default_chief(user, form.chief_id)
    if session.get(Official, chief_id) is None:
        raise InvalidInput(f"chief_id {chief_id} is not a known official")
    found = _existing(
        session,
        user,
        session.scalar(
            select(Patrol).where(Patrol.chief_id == chief_id, Patrol.upload_sha256 == sha)
        ),
    )
    if found is not None:
        return found

    parsed = parse_track(form.data, form.filename)
    cleaned = clean_track(parsed)
    track = cleaned.track
    warnings = list(track.warnings)
    parts: list[np.ndarray] = []
    for seg in track.segments:
        if len(seg) < 2:
            continue
        arr = np.array(
            [(p.lon, p.lat, p.time.timestamp() if p.time else math.nan) for p in seg],
            dtype=float,
        )
        if form.datum == "gcj02":
            arr[:, 0], arr[:, 1] = gcj02_to_wgs84(arr[:, 0], arr[:, 1])
        parts.append(arr)
    if not parts:
        raise InvalidInput(
            "the track has no piece with at least two valid points", code="too_few_points"
        )
    started, ended = track.started_at, track.ended_at
    check_track_times(track)
    check_in_city(session, track_wkb(parts))
    if started is not None and ended is not None:
        patrol_date = local_date(started)
        duration: float | None = (ended - started).total_seconds() / 60.0
        if form.date is not None and form.date != patrol_date:
            warnings.append(f"date {form.date} ignored: the track's own times say {patrol_date}")
    elif form.date is not None:
        patrol_date, duration = form.date, None
    else:
        raise InvalidInput(
            "the track has no times: give the patrol's date in the 'date' field (YYYY-MM-DD)",
            code="no_times_no_date",
        )
    if patrol_date > today_local():
        raise InvalidInput(
            f"the patrol's date {patrol_date} is in the future: check the device clock or 'date'",
            code="future_date",
        )
    check_may_act_for(session, Scope.of(user), chief_id, patrol_date)

    if session.get(PatrolUpload, sha) is None:
        session.add(
            PatrolUpload(
                sha256=sha,
                size_bytes=len(form.data),
                filename=form.filename,
                content_type=form.content_type,
                data=form.data,
                region_code=session.scalar(
                    text("SELECT region_of_chief(:chief)"), {"chief": chief_id}
                ),
            )
        )
        session.flush()  # no ORM relationship orders the two inserts: the FK needs it first
    patrol = Patrol(
        chief_id=chief_id,
        uploaded_by=user.id,
        upload_sha256=sha,
        client_id=form.client_id,
        format=track.format,
        datum=form.datum,
        patrol_date=patrol_date,
        started_at=started,
        ended_at=ended,
        has_times=started is not None,
        duration_min=duration,
        points=sum(len(a) for a in parts),
        length_m=track_length_m(parts),
        notes=form.notes,
        warnings=warnings,
        cleaning={
            "dropped_invalid": cleaned.dropped_invalid,
            "dropped_duplicates": cleaned.dropped_duplicates,
            "dropped_spikes": cleaned.dropped_spikes,
        },
        geom=geom_from_wkb(track_wkb(parts)),
    )
    try:
        with session.begin_nested():
            session.add(patrol)
            session.flush()
    except IntegrityError:
        # A concurrent upload of the same file or client_id won the race: return its patrol.
        again = session.scalar(
            select(Patrol).where(
                (Patrol.client_id == form.client_id)
                | ((Patrol.chief_id == chief_id) & (Patrol.upload_sha256 == sha))
            )
        )
        if again is None:
            raise Conflict("the patrol could not be stored; retry") from None
        return Ingested(again, created=False)
    match_patrols(session, [patrol.id])
    judge_patrols(session, [patrol.id])
    # only what the SQL set: reloading the whole row would read the track back too
    session.refresh(patrol, ["valid", "invalid_reasons", "created_at"])
    return Ingested(patrol, created=True)


def void_patrol(session: Session, user: UserAccount, patrol_id: int, reason: str) -> Patrol:
    """Void a patrol (office): kept for audit with who, when and why; no longer counted."""
    patrol = session.get(Patrol, patrol_id)
    if patrol is None:
        raise NotFound(f"patrol {patrol_id} not found")
    if patrol.voided_at is not None:
        raise Conflict(f"patrol {patrol_id} was already voided: {patrol.void_reason}")
    reason = reason.strip()
    if not reason:
        raise InvalidInput("give a reason for voiding the patrol")
    patrol.voided_at = now_utc()
    patrol.voided_by = user.id
    patrol.void_reason = reason
    session.flush()
    return patrol
