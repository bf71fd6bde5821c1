"""The hostile corpus: broken, malicious and absurd uploads, each of which must get a 4xx.

``python tests/security/corpus/generate.py`` (re)writes the small files next to this script
(they are committed, so reviewers can read them); ``build_large(dir)`` writes the big ones
(zip bombs, 10,000-member zips, a million nested arrays, a PNG bomb) at test time, so the
repository stays small. ``EXPECTED`` maps each file to its target (``track``: the track
parser and ``POST /api/v1/patrols``; ``photo``: ``POST /api/v1/problems/{id}/photos``) and the
4xx statuses accepted for it.
"""

from __future__ import annotations

import io
import json
import random
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
GPX = b'<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1">'
KML = b'<kml xmlns="http://www.opengis.net/kml/2.2">'
TRKPT = b'<trkpt lat="29.55" lon="103.76"><time>2025-06-01T08:00:00Z</time></trkpt>'
TRACK = b"<trk><trkseg>" + TRKPT + b"</trkseg></trk>"
LOL = b"".join(b'<!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1)) * 10) for i in range(1, 10))

# 400 unreadable, 413 too large, 415 not a format we read, 422 readable but not a patrol.
BAD = (400, 413, 415, 422)


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _doc(body: bytes) -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body


def _fit_header(header_size: int, data_size: int, proto: int = 0x20, profile: int = 2132) -> bytes:
    head = struct.pack("<BBHI4s", header_size, proto, profile, data_size, b".FIT")
    if header_size == 14:
        head += b"\x00\x00"
    return head


def _png(width: int, height: int, idat: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _png_bad_idat_crc() -> bytes:
    good = _png(8, 8, zlib.compress(b"\0" * 72))
    idat_end = good.index(b"IEND") - 8  # the 4 CRC bytes of IDAT end here
    return good[: idat_end - 4] + b"\xde\xad\xbe\xef" + good[idat_end:]


def _tiny_jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 90, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


def _jpeg_with_junk_exif() -> bytes:
    jpeg = _tiny_jpeg()
    junk = b"Exif\x00\x00II*\x00" + struct.pack("<I", 0xFFFFFF00) + bytes(range(256)) * 4
    app1 = b"\xff\xe1" + struct.pack(">H", len(junk) + 2) + junk
    return jpeg[:2] + app1 + jpeg[2:20]  # junk EXIF and a truncated scan


SMALL: dict[str, bytes] = {
    # XML entity attacks (GPX and KML)
    "gpx_billion_laughs.gpx": _doc(
        b'<!DOCTYPE gpx [\n<!ENTITY lol0 "lol">\n'
        + LOL
        + b"]>\n"
        + GPX
        + b"<trk><name>&lol9;</name><trkseg>"
        + TRKPT
        + b"</trkseg></trk></gpx>"
    ),
    "gpx_xxe_file.gpx": _doc(
        b'<!DOCTYPE gpx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        + GPX
        + b"<trk><name>&xxe;</name><trkseg>"
        + TRKPT
        + b"</trkseg></trk></gpx>"
    ),
    "gpx_xxe_parameter_entity.gpx": _doc(
        b'<!DOCTYPE gpx [<!ENTITY % file SYSTEM "file:///etc/hostname">\n'
        b'<!ENTITY % dtd SYSTEM "http://127.0.0.1:9/evil.dtd">%dtd;%file;]>\n'
        + GPX
        + TRACK
        + b"</gpx>"
    ),
    "gpx_xxe_http.gpx": _doc(
        b'<!DOCTYPE gpx [<!ENTITY x SYSTEM "http://127.0.0.1:9/secret">]>\n'
        + GPX
        + b"<trk><name>&x;</name><trkseg>"
        + TRKPT
        + b"</trkseg></trk></gpx>"
    ),
    "gpx_external_dtd.gpx": _doc(
        b'<!DOCTYPE gpx SYSTEM "file:///etc/passwd">\n' + GPX + TRACK + b"</gpx>"
    ),
    "gpx_quadratic_blowup.gpx": _doc(
        b'<!DOCTYPE gpx [<!ENTITY a "'
        + b"A" * 50_000
        + b'">]>\n'
        + GPX
        + b"<trk><name>"
        + b"&a;" * 20_000
        + b"</name><trkseg>"
        + TRKPT
        + b"</trkseg></trk></gpx>"
    ),
    "gpx_xinclude.gpx": _doc(
        GPX.replace(b">", b' xmlns:xi="http://www.w3.org/2001/XInclude">', 1)
        + b'<trk><name><xi:include href="file:///etc/passwd" parse="text"/></name></trk></gpx>'
    ),
    "kml_billion_laughs.kml": _doc(
        b'<!DOCTYPE kml [\n<!ENTITY lol0 "lol">\n'
        + LOL
        + b"]>\n"
        + KML
        + b"<Document><name>&lol9;</name></Document></kml>"
    ),
    "kml_dtd_bomb_attribute.kml": _doc(
        b'<!DOCTYPE kml [<!ENTITY b "' + b"B" * 10_000 + b'">'
        b'<!ATTLIST Placemark id CDATA "&b;&b;&b;&b;&b;&b;&b;&b;">]>\n'
        + KML
        + b"<Placemark><LineString><coordinates>103.7,29.5 103.8,29.6</coordinates>"
        b"</LineString></Placemark></kml>"
    ),
    "kml_xxe_file.kml": _doc(
        b'<!DOCTYPE kml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        + KML
        + b"<Placemark><name>&xxe;</name><LineString><coordinates>103.7,29.5 103.8,29.6"
        b"</coordinates></LineString></Placemark></kml>"
    ),
    "kml_deep_nesting.kml": _doc(KML + b"<Folder>" * 5000 + b"</Folder>" * 5000 + b"</kml>"),
    "gpx_deep_nesting.gpx": _doc(
        GPX + b"<extensions>" * 5000 + b"</extensions>" * 5000 + b"</gpx>"
    ),
    # XML that is broken or not a track
    "gpx_truncated.gpx": _doc(GPX + b'<trk><trkseg><trkpt lat="29.5" lon="103.7"><ti'),
    "gpx_route_only.gpx": _doc(
        GPX + b'<rte><rtept lat="29.5" lon="103.7"/><rtept lat="29.6" lon="103.8"/></rte></gpx>'
    ),
    "gpx_waypoints_only.gpx": _doc(GPX + b'<wpt lat="29.5" lon="103.7"><name>x</name></wpt></gpx>'),
    "gpx_empty_track.gpx": _doc(GPX + b"<trk><trkseg/></trk></gpx>"),
    "gpx_coordinates_out_of_range.gpx": _doc(
        GPX + b'<trk><trkseg><trkpt lat="999" lon="-999"/><trkpt lat="NaN" lon="inf"/>'
        b"</trkseg></trk></gpx>"
    ),
    "gpx_non_numeric_coordinates.gpx": _doc(
        GPX + b'<trk><trkseg><trkpt lat="north" lon="east"/></trkseg></trk></gpx>'
    ),
    "gpx_null_bytes.gpx": GPX + b"\x00" * 64 + TRACK + b"</gpx>",
    "gpx_wrong_encoding.gpx": b'<?xml version="1.0" encoding="EBCDIC-NOPE"?>' + GPX + b"</gpx>",
    "gpx_utf16_no_track.gpx": ("\ufeff" + GPX.decode() + "</gpx>").encode("utf-16-le"),
    "xml_svg_script.gpx": _doc(
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    ),
    "html_named_gpx.gpx": b"<html><body><script>alert(document.cookie)</script></body></html>",
    "empty.gpx": b"",
    "whitespace.kml": b" \n\t \r\n",
    "bom_only.gpx": b"\xef\xbb\xbf",
    # Zip / KMZ attacks
    "kmz_path_traversal.kmz": _zip({"../../../../tmp/evil.kml": _doc(KML + b"</kml>")}),
    "kmz_absolute_path.kmz": _zip({"/etc/cron.d/evil.kml": _doc(KML + b"</kml>")}),
    "kmz_windows_drive.kmz": _zip({"C:\\Windows\\evil.kml": _doc(KML + b"</kml>")}),
    "kmz_no_kml.kmz": _zip({"photo.jpg": b"\xff\xd8\xff" + b"0" * 100}),
    "kmz_nested_zip.kmz": _zip({"doc.kml": _zip({"doc.kml": _doc(KML + b"</kml>")})}),
    "kmz_truncated.kmz": _zip({"doc.kml": _doc(KML + TRACK + b"</kml>") * 50})[:300],
    "kmz_kml_with_xxe.kmz": _zip(
        {
            "doc.kml": _doc(
                b'<!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                + KML
                + b"<name>&x;</name></kml>"
            )
        }
    ),
    "kmz_small_bomb.kmz": _zip({"doc.kml": b" " * 5_000_000}),  # 5 MB of blanks, ratio ~1000
    # FIT
    "fit_header_only.fit": _fit_header(14, 1_000_000),
    "fit_bogus_header_size.fit": _fit_header(12, 100)[:1].replace(b"\x0c", b"\xff")
    + _fit_header(12, 100)[1:]
    + b"\x00" * 200,
    "fit_header_size_zero.fit": b"\x00" + _fit_header(12, 100)[1:] + b"\x00" * 100,
    "fit_huge_data_size.fit": _fit_header(14, 0xFFFFFFFF) + b"\x40\x00\x00\x00\x00\x01" * 4,
    "fit_truncated_definition.fit": _fit_header(14, 64) + b"\x40\x00\x00\x14\x00\x05\x00\x04",
    "fit_garbage.fit": _fit_header(14, 256) + bytes(random.Random(9).randbytes(256)),
    # GeoJSON
    "geojson_nan.geojson": b'{"type":"LineString","coordinates":[[NaN,29.5],[Infinity,-Infinity]]}',
    "geojson_huge_numbers.geojson": (
        b'{"type":"LineString","coordinates":[[1e400,29.5],[103.7,-1e999]]}'
    ),
    "geojson_huge_integer.geojson": b'{"type":"LineString","coordinates":[['
    + b"9" * 100_000
    + b",29.5],[103.7,29.6]]}",
    "geojson_projected_4507.geojson": json.dumps(
        {
            "type": "Feature",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4507"}},
            "properties": {},
            "geometry": {
                "type": "LineString",
                "coordinates": [[35_482_000.0, 3_271_000.0], [35_483_000.0, 3_272_000.0]],
            },
        }
    ).encode(),
    "geojson_projected_no_crs.geojson": json.dumps(
        {"type": "LineString", "coordinates": [[482_000.0, 3_271_000.0], [483_000.0, 3_272_000.0]]}
    ).encode(),
    "geojson_point_only.geojson": b'{"type":"Point","coordinates":[103.7,29.5]}',
    "geojson_empty_collection.geojson": b'{"type":"FeatureCollection","features":[]}',
    "geojson_string_coordinates.geojson": b'{"type":"LineString","coordinates":"103.7,29.5"}',
    "geojson_wrong_type.geojson": b'{"type":"Banana","coordinates":[[1,2],[3,4]]}',
    "geojson_array_root.json": b"[1,2,3]",
    "geojson_truncated.geojson": b'{"type":"LineString","coordinates":[[103.7,29.5],[103',
    "geojson_not_utf8.geojson": b'{"type":"LineString","name":"\xff\xfe\xfd"}',
    # Not a track format at all
    "binary_garbage.bin": bytes(random.Random(42).randbytes(4096)),
    "gzip_bomb.gpx.gz": b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"
    + zlib.compress(b"\0" * 2_000_000)[2:-4],
    "pdf_named_gpx.gpx": b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
    "polyglot_zip_gpx.gpx": b"PK\x03\x04" + GPX + TRACK + b"</gpx>",
    "polyglot_fit_json.fit": _fit_header(12, 30)[:8] + b'.FIT{"type":"LineString"}',
    "elf_binary.kml": b"\x7fELF\x02\x01\x01" + b"\x00" * 120,
    # Photos
    "photo_html.jpg": b"<!doctype html><html><script>alert(1)</script></html>",
    "photo_svg.png": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "photo_gif.jpg": b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01"
    b"\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;",
    "photo_truncated.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00",
    "photo_exif_junk_truncated.jpg": b"",  # filled in by main() (needs Pillow)
    "photo_png_dimensions_bomb.png": _png(100_000, 100_000, zlib.compress(b"\0" * 1000)),
    "photo_png_bad_crc.png": _png_bad_idat_crc(),
    "photo_jpeg_html_polyglot.jpg": b"\xff\xd8\xff\xe0<html><script>alert(1)</script></html>",
    "photo_empty.jpg": b"",
}

TRACK_CODES: dict[str, tuple[int, ...]] = {
    name: BAD for name in SMALL if not name.startswith("photo_")
}
PHOTO_CODES: dict[str, tuple[int, ...]] = {name: BAD for name in SMALL if name.startswith("photo_")}


def build_large(directory: Path) -> dict[str, Path]:
    """Write the big files into ``directory``; returns name -> path (each a track or photo)."""
    directory.mkdir(parents=True, exist_ok=True)
    makers: dict[str, Callable[[], bytes]] = {
        # 256 MiB of zeros behind ~250 KB: refused by the ratio check before inflating.
        "kmz_zip_bomb_256mb.kmz": lambda: _zip_stream_bomb(256 << 20),
        "kmz_10k_members.kmz": lambda: _zip({f"f{i}.kml": b"" for i in range(10_000)}),
        "geojson_million_nested_arrays.geojson": lambda: b"[" * 1_000_000 + b"]" * 1_000_000,
        "geojson_deep_objects.geojson": lambda: b'{"a":' * 200_000 + b"1" + b"}" * 200_000,
        # 400 Mpx of greyscale zeros (400 MB decoded) in ~400 KB of IDAT.
        "photo_png_decompression_bomb.png": lambda: _png(
            20_000, 20_000, _zeros_deflated(20_001 * 20_000)
        ),
    }
    out: dict[str, Path] = {}
    for name, make in makers.items():
        path = directory / name
        if not path.exists():
            path.write_bytes(make())
        out[name] = path
    return out


def _zeros_deflated(size: int) -> bytes:
    packer = zlib.compressobj(9)
    block = b"\0" * (1 << 20)
    parts = [packer.compress(block) for _ in range(size // len(block))]
    parts.append(packer.compress(b"\0" * (size % len(block))))
    return b"".join([*parts, packer.flush()])


def _zip_stream_bomb(size: int) -> bytes:
    """A deflated member of ``size`` zero bytes, compressed in pieces (low memory)."""
    buffer = io.BytesIO()
    block = b"\0" * (1 << 20)
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("doc.kml", "w", force_zip64=True) as member,
    ):
        for _ in range(size // len(block)):
            member.write(block)
    return buffer.getvalue()


LARGE_CODES = {
    "kmz_zip_bomb_256mb.kmz": BAD,
    "kmz_10k_members.kmz": BAD,
    "geojson_million_nested_arrays.geojson": BAD,
    "geojson_deep_objects.geojson": BAD,
    "photo_png_decompression_bomb.png": BAD,
}


def main() -> None:
    SMALL["photo_exif_junk_truncated.jpg"] = _jpeg_with_junk_exif()
    SMALL["photo_empty.jpg"] = b""
    for name, data in SMALL.items():
        (HERE / name).write_bytes(data)
    print(f"wrote {len(SMALL)} files to {HERE}", file=sys.stderr)


if __name__ == "__main__":
    main()
