"""Every real file in tests/fixtures/tracks parses, with counts checked by hand.

Counts come from the fixtures' README and were re-counted with grep/awk over the files
(``<trkpt`` per ``<trkseg>``, ``<gx:coord>`` per ``gx:Track``) and with fitparse.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime

import fitparse
import pytest

from service.geo.tracks import clean_track, parse_track

UTC = UTC
Read = Callable[[str], bytes]


def test_gpx10_three_tracks_fourteen_segments(track_bytes: Read) -> None:
    track = parse_track(track_bytes("gpx10_expertgps_multiseg_stylesheet.gpx"))
    assert track.format == "gpx"
    assert track.points == 1243
    assert [len(s) for s in track.segments] == [
        95,
        59,
        115,
        3,
        2,
        1,
        3,
        6,
        25,
        172,
        326,
        298,
        90,
        48,
    ]
    assert track.started_at == datetime(2001, 5, 26, 15, 15, 7, tzinfo=UTC)
    assert track.ended_at == datetime(2001, 10, 13, 21, 25, 40, tzinfo=UTC)
    first = track.segments[0][0]
    assert (first.lat, first.lon, first.ele) == (42.210009, -71.096220, 61.5696)
    assert track.warnings == []


def test_gpx11_strava_extensions_ignored(track_bytes: Read) -> None:
    track = parse_track(track_bytes("gpx11_strava_trackpointext_hr.gpx"), "run.gpx")
    assert track.points == 1118
    assert len(track.segments) == 1
    assert track.started_at == datetime(2015, 1, 19, 21, 24, 20, tzinfo=UTC)
    assert track.ended_at == datetime(2015, 1, 19, 21, 45, 16, tzinfo=UTC)
    last = track.segments[0][-1]
    assert (last.lat, last.lon, last.ele) == (37.7830730, -122.4071220, 10.9)


def test_kml_gx_multitrack(track_bytes: Read) -> None:
    track = parse_track(track_bytes("kml_gx_multitrack_mytracks_android.kml"))
    assert track.format == "kml"
    assert [len(s) for s in track.segments] == [13, 13]
    # The placemark <when>s (start and end markers) are not track points.
    assert track.started_at == datetime(2014, 4, 12, 14, 26, 16, 702000, tzinfo=UTC)
    assert track.ended_at == datetime(2014, 4, 12, 14, 27, 24, 638000, tzinfo=UTC)
    first = track.segments[0][0]
    assert (first.lon, first.lat) == (-71.324739, -40.139527)
    assert first.ele == pytest.approx(791.6, abs=1e-4)


def test_fit_wahoo_shanghai(track_bytes: Read) -> None:
    track = parse_track(track_bytes("fit_wahoo_elemnt_shanghai.fit"))
    assert track.format == "fit"
    assert track.points == 13348
    # 54 timer start/stop stretches hold positioned records.
    assert len(track.segments) == 54
    assert track.started_at == datetime(2019, 2, 17, 7, 10, 28, tzinfo=UTC)
    assert track.ended_at == datetime(2019, 2, 17, 12, 59, 55, tzinfo=UTC)
    first = track.segments[0][0]
    assert first.lat == pytest.approx(31.253418, abs=1e-6)  # Shanghai, 31.25N 121.42E
    assert first.lon == pytest.approx(121.424576, abs=1e-6)
    assert first.ele == 14.0
    assert track.warnings == []


def test_fit_chained_headers(track_bytes: Read) -> None:
    data = track_bytes("fit_garmin_fr920xt_chained_multiheader.fit")
    track = parse_track(data)
    # Four headers; the positioned records are in the first, the other three hold HR data.
    assert track.points == 1462
    assert track.warnings == []
    # Chaining the first file to itself proves records after a second header are read.
    first_file = data[: 14 + 56289 + 2]
    doubled = parse_track(first_file + first_file)
    assert doubled.points == 2 * 1462
    assert len(doubled.segments) == 2


def test_fit_truncated_keeps_records_before_the_break(track_bytes: Read) -> None:
    track = parse_track(track_bytes("fit_truncated_unexpected_eof.fit"))
    assert track.points == 14
    assert track.started_at == datetime(2012, 4, 9, 21, 22, 26, tzinfo=UTC)
    assert track.ended_at == datetime(2012, 4, 9, 21, 22, 39, tzinfo=UTC)
    assert len(track.warnings) == 1
    assert track.warnings[0].startswith("truncated FIT: used 14 records before the break")


@pytest.mark.parametrize(
    "name",
    [
        # fitparse needs ~6 s for this file (our reader 0.1 s): that is the point of ours.
        pytest.param("fit_wahoo_elemnt_shanghai.fit", marks=pytest.mark.slow),
        "fit_garmin_fr920xt_chained_multiheader.fit",
        "fit_truncated_unexpected_eof.fit",
    ],
)
def test_fit_reader_agrees_with_fitparse(track_bytes: Read, name: str) -> None:
    data = track_bytes(name)
    expected = []
    try:
        for message in fitparse.FitFile(io.BytesIO(data)).get_messages("record"):
            values = message.get_values()
            if values.get("position_lat") is not None and values.get("position_long") is not None:
                expected.append(
                    (
                        values["position_long"] * 180 / 2**31,
                        values["position_lat"] * 180 / 2**31,
                        values["timestamp"].replace(tzinfo=UTC),
                    )
                )
    except fitparse.FitParseError:
        pass  # the truncated file: fitparse stops at the same break
    got = [(p.lon, p.lat, p.time) for segment in parse_track(data).segments for p in segment]
    assert got == expected


@pytest.mark.parametrize(
    "name",
    [
        "gpx10_expertgps_multiseg_stylesheet.gpx",
        "gpx11_strava_trackpointext_hr.gpx",
        "kml_gx_multitrack_mytracks_android.kml",
        "fit_wahoo_elemnt_shanghai.fit",
        "fit_garmin_fr920xt_chained_multiheader.fit",
        "fit_truncated_unexpected_eof.fit",
    ],
)
def test_real_files_survive_cleaning(track_bytes: Read, name: str) -> None:
    track = parse_track(track_bytes(name), name)
    result = clean_track(track)
    # Real device files: no null-island fixes, no repeated records, no out-and-back jumps.
    # (The KML's second track starts with five points 1° west: a cluster, not a spike.)
    assert (result.dropped_invalid, result.dropped_duplicates, result.dropped_spikes) == (0, 0, 0)
    assert result.track.points == track.points
    assert all(p.time is None or p.time.tzinfo is UTC for s in result.track.segments for p in s)
