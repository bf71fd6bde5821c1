"""Hostile and broken uploads: each gets a clear domain error, nothing is expanded or fetched."""

from __future__ import annotations

import io
import os
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from service.errors import (
    BadRequest,
    DomainError,
    InvalidInput,
    PayloadTooLarge,
    UnsupportedMedia,
)
from service.geo.tracks import ParseLimits, clean_track, parse_track

Read = Callable[[str], bytes]
GPX_HEAD = b'<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">'

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>&lol9;</name>
<trkseg><trkpt lat="29.5" lon="103.7"><time>2025-01-01T00:00:00Z</time></trkpt></trkseg></trk></gpx>
"""


def _code(exc: pytest.ExceptionInfo[Exception]) -> str:
    return str(getattr(exc.value, "code", None))


def _kmz(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_route_only_gpx() -> None:
    data = (
        GPX_HEAD
        + b'<rte><rtept lat="29.5" lon="103.7"/><rtept lat="29.6" lon="103.8"/></rte></gpx>'
    )
    with pytest.raises(InvalidInput, match="route") as exc:
        parse_track(data, "plan.gpx")
    assert _code(exc) == "route_only"
    assert "not a recorded patrol" in exc.value.message


def test_waypoints_only_gpx() -> None:
    data = GPX_HEAD + b'<wpt lat="29.5" lon="103.7"><name>bridge</name></wpt></gpx>'
    with pytest.raises(InvalidInput, match="waypoints") as exc:
        parse_track(data)
    assert _code(exc) == "waypoints_only"


def test_gpx_without_anything() -> None:
    with pytest.raises(InvalidInput) as exc:
        parse_track(GPX_HEAD + b"<trk><trkseg/></trk></gpx>")
    assert _code(exc) == "no_track"


def test_bom_and_no_declaration(track_bytes: Read) -> None:
    body = track_bytes("gpx11_strava_trackpointext_hr.gpx").split(b"?>", 1)[1]
    track = parse_track(b"\xef\xbb\xbf" + body.lstrip())
    assert track.points == 1118


def test_billion_laughs_refused_without_expansion() -> None:
    with pytest.raises(BadRequest) as exc:
        parse_track(BILLION_LAUGHS, "lol.gpx")
    assert _code(exc) == "xml_dtd_forbidden"


def test_external_entity_never_read(tmp_path: Path) -> None:
    # A FIFO with no writer: opening it for reading blocks, so a parser that tried to read
    # the entity would hang here instead of raising. The secret file shows the same for a
    # plain file (it must never appear anywhere).
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER")
    for target in (f"file://{fifo}", f"file://{secret}", "file:///etc/passwd"):
        data = (
            b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x SYSTEM "'
            + target.encode()
            + b'">]>'
            + GPX_HEAD
            + b"<trk><name>&x;</name><trkseg><trkpt lat='1' lon='2'/></trkseg></trk></gpx>"
        )
        outcome: list[BaseException] = []
        worker = threading.Thread(target=_capture, args=(data, outcome), daemon=True)
        worker.start()
        worker.join(timeout=10)
        if worker.is_alive():  # unblock the reader before failing
            with open(fifo, "wb"):
                pass
            pytest.fail(f"parser tried to open the external entity {target}")
        assert isinstance(outcome[0], BadRequest)
        assert "TOP-SECRET" not in outcome[0].message and "root:" not in outcome[0].message


def test_external_dtd_refused() -> None:
    data = (
        b'<?xml version="1.0"?><!DOCTYPE gpx SYSTEM "http://127.0.0.1:9/evil.dtd">'
        + GPX_HEAD
        + b"</gpx>"
    )
    with pytest.raises(BadRequest) as exc:
        parse_track(data)
    assert _code(exc) == "xml_dtd_forbidden"


def _capture(data: bytes, outcome: list[BaseException]) -> None:
    try:
        parse_track(data)
    except BaseException as exc:
        outcome.append(exc)


def test_broken_xml_says_where() -> None:
    data = GPX_HEAD + b'\n<trk><trkseg><trkpt lat="1" lon="2"></trkseg></trk></gpx>'
    with pytest.raises(BadRequest, match=r"broken XML at line 2, column \d+") as exc:
        parse_track(data, "x.gpx")
    assert _code(exc) == "broken_xml"


@pytest.mark.parametrize("data", [b"", b"   \n\t "])
def test_empty_file(data: bytes) -> None:
    with pytest.raises(BadRequest) as exc:
        parse_track(data, "empty.gpx")
    assert _code(exc) == "empty_file"


def test_unknown_format_and_filename_hint() -> None:
    with pytest.raises(UnsupportedMedia):
        parse_track(b"\x89PNG\r\n\x1a\n....", "photo.png")
    with pytest.raises(BadRequest) as exc:  # claims to be FIT, is not
        parse_track(b"\x89PNG\r\n\x1a\n....", "ride.fit")
    assert _code(exc) == "unreadable"
    with pytest.raises(UnsupportedMedia):
        parse_track(b"<html><body>hi</body></html>", "page.gpx")
    with pytest.raises(UnsupportedMedia):
        parse_track(b'{"name": "not geojson"}')


def test_kmz_zip_bomb_refused_by_ratio() -> None:
    bomb = _kmz({"doc.kml": b"<kml>" + b" " * 20_000_000 + b"</kml>"})
    assert len(bomb) < 100_000
    with pytest.raises(BadRequest) as exc:
        parse_track(bomb, "bomb.kmz")
    assert _code(exc) == "zip_bomb"


def test_kmz_over_size_limit(track_bytes: Read) -> None:
    kmz = _kmz(
        {"doc.kml": track_bytes("kml_gx_multitrack_mytracks_android.kml")}, zipfile.ZIP_STORED
    )
    with pytest.raises(PayloadTooLarge) as exc:
        parse_track(kmz, limits=ParseLimits(max_kmz_uncompressed_bytes=1000))
    assert _code(exc) == "kmz_too_large"


def test_kmz_lying_sizes_inflate_no_more_than_declared(track_bytes: Read) -> None:
    kml = track_bytes("kml_gx_multitrack_mytracks_android.kml")
    kmz = bytearray(_kmz({"doc.kml": kml}))
    real = len(kml).to_bytes(4, "little")
    kmz = bytearray(
        bytes(kmz).replace(real, (100).to_bytes(4, "little"))
    )  # local + central headers
    with pytest.raises(BadRequest) as exc:
        parse_track(bytes(kmz), "lie.kmz")
    assert _code(exc) in {"broken_zip", "zip_bomb"}


@pytest.mark.parametrize(
    "name", ["../../etc/cron.d/x.kml", "/abs/doc.kml", "..\\..\\win.kml", "C:/doc.kml"]
)
def test_kmz_path_traversal(name: str, track_bytes: Read) -> None:
    kml = track_bytes("kml_gx_multitrack_mytracks_android.kml")
    with pytest.raises(BadRequest) as exc:
        parse_track(_kmz({"doc.kml": kml, name: b"<kml/>"}))
    assert _code(exc) == "zip_path_traversal"


def test_kmz_too_many_members() -> None:
    kmz = _kmz({f"f{i}.png": b"x" for i in range(101)})
    with pytest.raises(BadRequest) as exc:
        parse_track(kmz)
    assert _code(exc) == "zip_too_many_members"


def test_kmz_broken_and_without_kml(track_bytes: Read) -> None:
    good = _kmz({"doc.kml": track_bytes("kml_gx_multitrack_mytracks_android.kml")})
    with pytest.raises(BadRequest) as exc:
        parse_track(good[: len(good) // 2])
    assert _code(exc) == "broken_zip"
    with pytest.raises(UnsupportedMedia):
        parse_track(_kmz({"readme.txt": b"hello"}))


def test_projected_geojson_names_the_crs() -> None:
    data = b'{"type":"LineString","coordinates":[[452000.0,3270000.0],[452100.0,3270100.0]]}'
    with pytest.raises(InvalidInput, match="projected") as exc:
        parse_track(data, "track.geojson")
    assert _code(exc) == "wrong_crs"
    declared = (
        b'{"type":"FeatureCollection","features":[],'
        b'"crs":{"type":"name","properties":{"name":"EPSG:4507"}}}'
    )
    with pytest.raises(InvalidInput, match="EPSG:4507"):
        parse_track(declared)


def test_broken_and_deep_json() -> None:
    with pytest.raises(BadRequest, match="line 1, column"):
        parse_track(b'{"type": "LineString", "coordinates": [[1,2],', "t.geojson")
    with pytest.raises(BadRequest):
        parse_track(b"[" * 100_000 + b"]" * 100_000)


def test_too_many_points(track_bytes: Read) -> None:
    with pytest.raises(PayloadTooLarge) as exc:
        parse_track(
            track_bytes("gpx11_strava_trackpointext_hr.gpx"), limits=ParseLimits(max_points=1000)
        )
    assert _code(exc) == "too_many_points"


def test_fit_garbage_after_header() -> None:
    header = bytes([14, 0x10, 0, 0]) + (1000).to_bytes(4, "little") + b".FIT" + b"\0\0"
    with pytest.raises(BadRequest) as exc:
        parse_track(header + b"\x07" * 20)
    assert _code(exc) == "broken_fit"


def test_zip_bomb_refused_before_inflating_a_byte(monkeypatch: pytest.MonkeyPatch) -> None:
    # Assert what was read, not wall time: the declared ratio refuses it before open().
    bomb = _kmz({"doc.kml": b"<kml>" + b" " * 5_000_000 + b"</kml>"})

    def no_open(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a zip-bomb member was opened for inflating")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_open)
    with pytest.raises(BadRequest) as exc:
        parse_track(bomb)
    assert _code(exc) == "zip_bomb"


def test_member_count_checked_before_zipfile_reads_the_directory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kmz = _kmz({f"f{i}.png": b"" for i in range(500)})

    def no_zipfile(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("zipfile parsed a central directory that was already too long")

    monkeypatch.setattr("service.geo.tracks.kmz.zipfile.ZipFile", no_zipfile)
    with pytest.raises(BadRequest) as exc:
        parse_track(kmz)
    assert _code(exc) == "zip_too_many_members"


@pytest.mark.parametrize(
    ("document", "code"),
    [
        ('{"type":"FeatureCollection","features":5}', "no_track"),
        ('{"type":"FeatureCollection","features":[5,"x",null,{"type":"Feature"}]}', "no_track"),
        ('{"type":"LineString","coordinates":"abc"}', "no_track"),
        ('{"type":"LineString","coordinates":[1,2]}', "bad_coordinates"),
        ('{"type":"LineString","coordinates":[[true,false]]}', "bad_coordinates"),
        ('{"type":"LineString","coordinates":[["103.7","29.5"]]}', "bad_coordinates"),
        ('{"type":"LineString","coordinates":[[103.7,29.5,"high"]]}', "bad_coordinates"),
        ('{"type":"FeatureCollection","crs":{"properties":5},"features":[]}', "no_track"),
        ('{"type":"LineString","coordinates":[[0,0],[1e400,2]]}', "no_valid_points"),
        ('{"type":"Point","coordinates":[103.7,29.5]}', "waypoints_only"),
    ],
)
def test_odd_geojson_shapes_get_a_domain_error(document: str, code: str) -> None:
    with pytest.raises(DomainError) as exc:
        clean_track(parse_track(document.encode(), "odd.geojson"))
    assert _code(exc) == code


def test_fit_of_empty_messages_is_cut_off_by_count() -> None:
    # One definition with no fields, then a million one-byte data messages: no points,
    # all CPU. The message budget stops it (counted, not timed).
    definition = bytes([0x40, 0, 0]) + (99).to_bytes(2, "little") + bytes([0])
    body = definition + bytes(1_000_000)
    header = bytes([14, 0x10, 0, 0]) + len(body).to_bytes(4, "little") + b".FIT\0\0"
    with pytest.raises(PayloadTooLarge) as exc:
        parse_track(header + body + b"\0\0", limits=ParseLimits(max_fit_messages=10_000))
    assert _code(exc) == "too_many_fit_messages"


def test_fit_of_empty_chained_files_is_cut_off_by_count() -> None:
    empty = bytes([12, 0x10, 0, 0, 0, 0, 0, 0]) + b".FIT" + b"\0\0"
    with pytest.raises(PayloadTooLarge) as exc:
        parse_track(empty * 100_000, limits=ParseLimits(max_fit_messages=1_000))
    assert _code(exc) == "too_many_fit_messages"


def test_geojson_position_flood_refused_before_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    flood = b'{"type":"LineString","coordinates":[' + b"[103.7,29.5]," * 30_000 + b"[1,2]]}"

    def no_decode(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("json.loads ran on a document already known to be too large")

    monkeypatch.setattr("service.geo.tracks.geojson.json.loads", no_decode)
    with pytest.raises(PayloadTooLarge) as exc:
        parse_track(flood, limits=ParseLimits(max_points=5_000))
    assert _code(exc) == "too_many_points"
