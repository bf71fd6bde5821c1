"""clean_track with hand-computed numbers.

Geometry used throughout: Leshan, lon 103.76E, lat ~29.55N. One metre of latitude there:
the meridian arc is 111132.954 − 559.822·cos 2φ + 1.175·cos 4φ ≈ 110,844.9 m per degree
at φ = 29.55°, so 0.001° of latitude ≈ 110.84 m (and 0.0001° ≈ 11.08 m).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from service.errors import InvalidInput
from service.geo.tracks import ParsedTrack, TrackPoint, clean_track
from service.geo.tracks.clean import distance_m

T0 = datetime(2025, 5, 1, 0, 0, tzinfo=UTC)
LON, LAT = 103.76, 29.55


def _p(dlat: float, seconds: float | None, dlon: float = 0.0) -> TrackPoint:
    time = None if seconds is None else T0 + timedelta(seconds=seconds)
    return TrackPoint(lon=LON + dlon, lat=LAT + dlat, time=time)


def test_distance_is_geodesic_metres() -> None:
    assert distance_m(_p(0, 0), _p(0.001, 0)) == pytest.approx(110.84, abs=0.05)


def test_invalid_duplicates_and_spike_counts() -> None:
    walk = [_p(0.0001 * i, 10 * i) for i in range(6)]  # 11.08 m per 10 s ≈ 4 km/h
    segment = [
        walk[0],
        TrackPoint(lon=math.nan, lat=LAT, time=T0),  # invalid: NaN
        walk[1],
        walk[1],  # duplicate: same place, same time
        TrackPoint(lon=0.0, lat=0.0, time=T0),  # invalid: null island
        walk[2],
        _p(0.0002, 25, dlon=0.01),  # spike: ~968 m east within 5 s and back
        walk[3],
        TrackPoint(lon=LON, lat=95.0, time=T0),  # invalid: latitude out of range
        walk[4],
        _p(0.0004, 45),  # same place, later: a stop, kept
        walk[5],
    ]
    result = clean_track(ParsedTrack("gpx", [segment, [TrackPoint(math.inf, 0.0, None)]], ["w"]))
    assert (result.dropped_invalid, result.dropped_duplicates, result.dropped_spikes) == (4, 1, 1)
    assert result.track.segments == [[*walk[:5], _p(0.0004, 45), walk[5]]]
    assert result.track.warnings == ["w"]
    assert result.track.points == 7


def test_spike_threshold_by_hand() -> None:
    # Out 110.84 m in 1 s (399.0 km/h) and back in 1 s; A→C is 0 m in 2 s.
    track = ParsedTrack("gpx", [[_p(0, 0), _p(0.001, 1), _p(0, 2), _p(0, 3)]], [])
    assert clean_track(track, max_speed_kmh=400).dropped_spikes == 0
    assert clean_track(track, max_speed_kmh=398).dropped_spikes == 1


def test_genuine_fast_movement_and_one_way_jump_kept() -> None:
    # High-speed rail: 0.001° (110.84 m) per second = 399 km/h on every leg, never back.
    train = [_p(0.001 * i, i) for i in range(10)]
    assert clean_track(ParsedTrack("fit", [train], [])).dropped_spikes == 0
    # A reception gap: one jump of ~11 km in 1 s, then normal walking from there.
    jump = [_p(0, 0), _p(0, 1), _p(0.1, 2), _p(0.1001, 12), _p(0.1002, 22)]
    assert clean_track(ParsedTrack("fit", [jump], [])).dropped_spikes == 0


def test_untimed_track_has_no_spike_filter() -> None:
    points = [_p(0, None), _p(0.01, None), _p(0, None), _p(0.0001, None)]
    result = clean_track(ParsedTrack("kml", [points], []))
    assert result.dropped_spikes == 0 and result.track.points == 4


def test_nothing_left_raises() -> None:
    with pytest.raises(InvalidInput) as exc:
        clean_track(ParsedTrack("gpx", [[TrackPoint(0.0, 0.0, T0)]], []))
    assert exc.value.code == "no_valid_points"
