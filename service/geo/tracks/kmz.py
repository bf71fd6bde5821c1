"""KMZ reader: finds the KML document inside the zip archive, refusing hostile archives.

Checks, each a clear error before or while inflating: too many members, a member name
that is absolute or climbs out with ``..`` (we never write members to disk, but such a
name marks a crafted file), a declared or actual uncompressed size over the limit, and a
compression ratio no real KML reaches (a zip bomb). Sizes are bytes.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath

from service.errors import BadRequest, PayloadTooLarge, UnsupportedMedia
from service.geo.tracks.kml import read_kml
from service.geo.tracks.model import ParsedTrack, ParseLimits
from service.geo.tracks.xmlsafe import root_name

_CHUNK = 64 * 1024


def read_kmz(data: bytes, limits: ParseLimits) -> ParsedTrack:
    """Parse a KMZ: ``doc.kml`` at the archive root, else the first ``.kml`` member."""
    _refuse_many_members(data, limits.max_zip_members)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:  # any zipfile failure: see _broken
        raise _broken("unreadable zip/KMZ archive", exc) from None
    with archive:
        members = archive.infolist()
        if len(members) > limits.max_zip_members:
            raise _too_many(len(members), limits.max_zip_members)
        for info in members:
            _refuse_unsafe_name(info.filename)
        member = _choose_kml(members)
        text = _inflate(archive, member, limits)
    if root_name(text) != "kml":
        raise UnsupportedMedia(
            f"{member.filename!r} in the KMZ is not a KML document", code="kmz_without_kml"
        )
    return read_kml(text, limits, fmt="kmz")


def _refuse_many_members(data: bytes, limit: int) -> None:
    """Check the entry count in the end-of-central-directory record before zipfile reads it.

    zipfile builds a ZipInfo for every central-directory entry up front; a 20 MB archive of
    empty entries would be ~400,000 objects, so the declared count is checked first.
    """
    eocd = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if eocd < 0 or eocd + 12 > len(data):
        return  # no readable record: zipfile reports the broken archive
    declared = int.from_bytes(data[eocd + 10 : eocd + 12], "little")
    if declared > limit:  # 0xFFFF (zip64) is over any sane limit too
        raise _too_many(declared, limit)


def _too_many(count: int, limit: int) -> BadRequest:
    return BadRequest(
        f"KMZ has {count:,} members, more than the {limit} allowed",
        code="zip_too_many_members",
    )


def _refuse_unsafe_name(name: str) -> None:
    normalised = name.replace("\\", "/")
    path = PurePosixPath(normalised)
    if (
        normalised.startswith("/")
        or ".." in path.parts
        or (len(normalised) > 1 and normalised[1] == ":")
        or "\x00" in name
    ):
        raise BadRequest(
            f"KMZ member name {name!r} points outside the archive (path traversal)",
            code="zip_path_traversal",
        )


def _choose_kml(members: list[zipfile.ZipInfo]) -> zipfile.ZipInfo:
    kml = [m for m in members if not m.is_dir() and m.filename.lower().endswith(".kml")]
    for member in kml:
        if member.filename.lower() == "doc.kml":
            return member
    if not kml:
        raise UnsupportedMedia("zip archive holds no .kml document", code="kmz_without_kml")
    return kml[0]


def _inflate(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: ParseLimits) -> bytes:
    """Read one member, stopping as soon as it exceeds the size or ratio limit."""
    limit = limits.max_kmz_uncompressed_bytes
    if member.file_size > limit:
        raise _too_large(member.filename, limit)
    compressed = max(member.compress_size, 1)
    if member.file_size / compressed > limits.max_compression_ratio:
        raise _bomb(member.filename, member.file_size / compressed)
    # The declared sizes are the attacker's to write, so count the actual bytes too.
    max_actual = min(limit, int(compressed * limits.max_compression_ratio))
    out = bytearray()
    try:
        stream = archive.open(member)
    except Exception as exc:  # any zipfile failure: see _broken
        raise _broken(f"cannot open {member.filename!r} in the KMZ", exc) from None
    with stream:
        while True:
            try:
                chunk = stream.read(_CHUNK)
            except Exception as exc:  # any zipfile failure: see _broken
                raise _broken(f"cannot read {member.filename!r} from the KMZ", exc) from None
            if not chunk:
                break
            out += chunk
            if len(out) > limit:
                raise _too_large(member.filename, limit)
            if len(out) > max_actual:
                raise _bomb(member.filename, len(out) / compressed)
    return bytes(out)


def _broken(what: str, exc: Exception) -> BadRequest:
    """A corrupt archive as BadRequest.

    zipfile meets crafted input with a zoo of exception types (BadZipFile, zlib.error,
    ValueError "negative seek", NotImplementedError "zip file version", RuntimeError for
    encryption, struct.error, EOFError…); each only ever means "this archive is unreadable",
    so the zipfile calls alone are wrapped broadly and our own checks stay outside them.
    """
    return BadRequest(f"{what}: {type(exc).__name__}: {exc}", code="broken_zip")


def _too_large(name: str, limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"KMZ member {name!r} inflates past the {limit:,}-byte limit",
        code="kmz_too_large",
        limit=limit,
    )


def _bomb(name: str, ratio: float) -> BadRequest:
    return BadRequest(
        f"KMZ member {name!r} inflates {ratio:,.0f} times: refused as a zip bomb",
        code="zip_bomb",
    )
