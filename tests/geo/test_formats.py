"""Format details: KMZ, GeoJSON shapes, KML LineString, GPX variants and time handling."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from service.errors import BadRequest, InvalidInput
from service.geo.tracks import detect_format, parse_track

UTC = UTC
Read = Callable[[str], bytes]


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_kmz_reads_doc_kml_first(track_bytes: Read) -> None:
    kml = track_bytes("kml_gx_multitrack_mytracks_android.kml")
    other = (
        b'<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><LineString>'
        b"<coordinates>1,2 3,4</coordinates></LineString></Placemark></kml>"
    )
    track = parse_track(_zip({"files/a.kml": other, "doc.kml": kml}), "x.zip")
    assert track.format == "kmz"
    assert track.points == 26
    # Without doc.kml, the first .kml member in archive order.
    assert (
        parse_track(_zip({"images/x.png": b"png", "files/a.kml": other, "b.kml": kml})).points == 2
    )


def test_kml_linestrings_untimed() -> None:
    data = b"""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<Placemark><MultiGeometry>
 <LineString><coordinates>103.76,29.55,400 103.77,29.56,401
   103.78,29.57</coordinates></LineString>
 <LineString><coordinates>103.80,29.60 103.81,29.61</coordinates></LineString>
</MultiGeometry></Placemark>
<Placemark><Point><coordinates>103.7,29.5</coordinates></Point></Placemark>
</Document></kml>"""
    track = parse_track(data)
    assert [len(s) for s in track.segments] == [3, 2]
    assert track.segments[0][0].ele == 400.0 and track.segments[0][2].ele is None
    assert not track.has_times and track.started_at is None


def test_kml_points_only_and_mismatched_track() -> None:
    points = b'<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><Point><coordinates>103.7,29.5</coordinates></Point></Placemark></kml>'
    with pytest.raises(InvalidInput) as exc:
        parse_track(points)
    assert exc.value.code == "waypoints_only"
    mismatch = (
        b'<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2">'
        b"<Placemark><gx:Track><when>2025-01-01T00:00:00Z</when>"
        b"<gx:coord>103.7 29.5 0</gx:coord><gx:coord>103.8 29.6 0</gx:coord>"
        b"</gx:Track></Placemark></kml>"
    )
    with pytest.raises(InvalidInput, match="1 <when> but 2"):
        parse_track(mismatch)


def test_gpx_times_naive_offset_and_missing() -> None:
    data = b"""<gpx version="1.0" xmlns="http://www.topografix.com/GPX/1/0"><trk><trkseg>
<trkpt lat="29.55" lon="103.76"><time>2025-05-01T08:00:00</time></trkpt>
<trkpt lat="29.56" lon="103.77"><time>2025-05-01T16:30:00+08:00</time></trkpt>
<trkpt lat="29.57" lon="103.78"></trkpt>
</trkseg></trk></gpx>"""
    points = parse_track(data).segments[0]
    assert points[0].time == datetime(2025, 5, 1, 8, 0, tzinfo=UTC)  # naive → taken as UTC
    assert points[1].time == datetime(2025, 5, 1, 8, 30, tzinfo=UTC)  # Beijing time → UTC
    assert points[2].time is None


def test_gpx_without_namespace_and_untimed() -> None:
    data = (
        b'<gpx><trk><trkseg><trkpt lat="29.55" lon="103.76"/>'
        b'<trkpt lat="29.56" lon="103.77"/></trkseg></trk></gpx>'
    )
    track = parse_track(data, "old.gpx")
    assert track.points == 2 and not track.has_times and track.ended_at is None


def test_gpx_vendor_time_in_extension_is_not_the_point_time() -> None:
    data = b"""<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1" xmlns:v="urn:vendor">
<trk><trkseg><trkpt lat="29.55" lon="103.76">
<extensions><v:time>1999-01-01T00:00:00Z</v:time></extensions></trkpt>
</trkseg></trk></gpx>"""
    assert parse_track(data).segments[0][0].time is None


def test_gpx_partial_times_warn() -> None:
    data = b"""<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>
<trkpt lat="29.55" lon="103.76"><time>2025-05-01T08:00:00Z</time></trkpt>
<trkpt lat="29.56" lon="103.77"><time>yesterday</time></trkpt>
<trkpt lat="bad" lon="103.77"/>
</trkseg></trk></gpx>"""
    track = parse_track(data)
    assert track.points == 2 and track.has_times
    assert track.warnings == [
        "skipped 1 track points without a readable lat/lon",
        "1 track points had an unreadable time, kept without one",
        "1 of 2 points have no time",
    ]


def test_geojson_feature_collection_lines_with_coord_times() -> None:
    document = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"coordTimes": ["2025-05-01T00:00:00Z", "2025-05-01T00:01:00Z"]},
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[103.76, 29.55, 350], [103.77, 29.56]],
                },
            },
            {
                "type": "Feature",
                "properties": {"times": [[1746057720000, 1746057780000], [1746057840]]},
                "geometry": {
                    "type": "MultiLineString",
                    "coordinates": [[[103.78, 29.57], [103.79, 29.58]], [[103.80, 29.59]]],
                },
            },
        ],
    }
    track = parse_track(json.dumps(document).encode(), "t.geojson")
    assert track.format == "geojson"
    assert [len(s) for s in track.segments] == [2, 2, 1]
    assert track.segments[0][0].ele == 350.0
    assert track.started_at == datetime(2025, 5, 1, 0, 0, tzinfo=UTC)
    # epoch milliseconds and seconds: 1746057840 s = 2025-05-01T00:04:00Z
    assert track.ended_at == datetime(2025, 5, 1, 0, 4, tzinfo=UTC)


def test_geojson_timed_points_ordered_by_time() -> None:
    features = [
        {
            "type": "Feature",
            "properties": {"time": "2025-05-01T00:02:00Z"},
            "geometry": {"type": "Point", "coordinates": [103.78, 29.57]},
        },
        {
            "type": "Feature",
            "properties": {"timestamp": "2025-05-01T00:00:00Z"},
            "geometry": {"type": "Point", "coordinates": [103.76, 29.55]},
        },
        {
            "type": "Feature",
            "properties": {"datetime": "2025-05-01T08:01:00+08:00"},
            "geometry": {"type": "Point", "coordinates": [103.77, 29.56]},
        },
        {
            "type": "Feature",
            "properties": {"name": "a place"},
            "geometry": {"type": "Point", "coordinates": [1.0, 1.0]},
        },
    ]
    track = parse_track(json.dumps({"type": "FeatureCollection", "features": features}).encode())
    assert [p.lon for p in track.segments[0]] == [103.76, 103.77, 103.78]


def test_geojson_untimed_points_only() -> None:
    data = (
        b'{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[103.7,29.5]}}'
    )
    with pytest.raises(InvalidInput) as exc:
        parse_track(data)
    assert exc.value.code == "waypoints_only"


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"PK\x03\x04rest", "track.gpx", "kmz"),
        (b"\xef\xbb\xbf  <gpx/>", None, "gpx"),
        (b"<?xml version='1.0'?>\n<?xml-stylesheet href='a.xsl'?><kml/>", "a.txt", "kml"),
        (b'\n {"type": "Point"}', "x.gpx", "geojson"),
        (bytes([12, 0x10, 0, 0, 0, 0, 0, 0]) + b".FIT", None, "fit"),
    ],
)
def test_detect_format_by_content(data: bytes, name: str | None, expected: str) -> None:
    assert detect_format(data, name) == expected


def test_kml_without_namespace_and_old_google_namespace() -> None:
    line = (
        b"<Placemark><LineString><coordinates>103.7,29.5 103.8,29.6</coordinates>"
        b"</LineString></Placemark>"
    )
    assert parse_track(b"<kml>" + line + b"</kml>").points == 2
    old = b'<kml xmlns="http://earth.google.com/kml/2.1"><Document>' + line + b"</Document></kml>"
    assert parse_track(old).points == 2


def test_time_without_utc_equivalent_is_a_warning_not_a_crash() -> None:
    data = b"""<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>
<trkpt lat="29.55" lon="103.76"><time>0001-01-01T00:00:00+08:00</time></trkpt>
</trkseg></trk></gpx>"""
    track = parse_track(data)
    assert track.segments[0][0].time is None
    assert "unreadable time" in track.warnings[0]


def test_stylesheet_instruction_and_comments_are_ignored() -> None:
    data = b"""<?xml version="1.0"?>
<?xml-stylesheet type="text/xsl" href="details.xsl"?>
<!-- exported by a phone -->
<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>
<!-- a comment inside the segment --><trkpt lat="29.55" lon="103.76"/>
</trkseg></trk></gpx>"""
    assert parse_track(data).points == 1


def test_declared_gbk_and_utf16_gpx_from_chinese_apps() -> None:
    text = (
        '<?xml version="1.0" encoding="GBK"?>'
        '<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">'
        '<trk><name>青衣江巡河</name><trkseg><trkpt lat="29.55" lon="103.76">'
        "<time>2025-05-01 08:00:00</time></trkpt></trkseg></trk></gpx>"
    )
    point = parse_track(text.encode("gbk")).segments[0][0]
    assert (point.lon, point.lat) == (103.76, 29.55)
    assert point.time == datetime(2025, 5, 1, 8, 0, tzinfo=UTC)
    utf16 = text.replace('encoding="GBK"', 'encoding="UTF-16"').encode("utf-16")
    assert parse_track(utf16).points == 1
    # GBK bytes under a UTF-8 declaration: refused, saying where.
    lying = text.replace('encoding="GBK"', 'encoding="UTF-8"').encode("gbk")
    with pytest.raises(BadRequest, match="line 1, column"):
        parse_track(lying)
