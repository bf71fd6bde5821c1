"""Photos of problems: sniffed, decoded, EXIF position read, stored with a thumbnail.

Everything is checked in memory before a byte is written; files are written under
``settings.media_dir / problems / <problem id>`` only after that, and removed again if the
database insert or the commit fails, so a refused upload leaves neither a file nor a row.
"""

from __future__ import annotations

import hashlib
import io
import uuid
import warnings
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

from geoalchemy2 import Geography
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import Numeric, cast, func, select
from sqlalchemy.orm import Session

from service.auth.models import UserAccount
from service.errors import InvalidInput, UnsupportedMedia
from service.problems.models import Problem, ProblemPhoto
from service.settings import get_settings
from service.timeutil import LOCAL_TZ

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
#: A phone photo is ~12-50 Mpx; refuse decompression bombs well before memory trouble.
MAX_PIXELS = 80_000_000
THUMB_PX = 320
GPS_IFD = 0x8825
EXIF_IFD = 0x8769
DATETIME_ORIGINAL = 36867


def sniff(data: bytes) -> str:
    """The content type from the magic bytes (never from the file name or header)."""
    if data.startswith(JPEG_MAGIC):
        return "image/jpeg"
    if data.startswith(PNG_MAGIC):
        return "image/png"
    raise UnsupportedMedia(
        f"not a JPEG or PNG image (file starts with {data[:8].hex(' ') or 'nothing'})",
        code="unsupported_media",
        accepted=["image/jpeg", "image/png"],
    )


def _decode(data: bytes, content_type: str) -> Image.Image:
    """Fully decode (a truncated or corrupt file is 422, not a half-stored photo)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.width * probe.height > MAX_PIXELS:
                raise InvalidInput(
                    f"image of {probe.width}x{probe.height} pixels is over the "
                    f"{MAX_PIXELS:,}-pixel limit"
                )
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except InvalidInput:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise InvalidInput(f"the {content_type} file is damaged or truncated: {exc}") from exc
    expected = "JPEG" if content_type == "image/jpeg" else "PNG"
    if image.format != expected:
        raise InvalidInput(f"file starts like {expected} but decodes as {image.format}")
    return image


def _degrees(value: Any) -> float:
    d, m, s = (float(Fraction(str(v)) if not isinstance(v, (int, float)) else v) for v in value)
    return d + m / 60.0 + s / 3600.0


def exif_position(image: Image.Image) -> tuple[float | None, float | None, datetime | None]:
    """(lon, lat) in WGS84 degrees (GPS receivers write WGS84) and the time taken, if given.

    A naive EXIF time is read as Asia/Shanghai. Malformed EXIF is ignored, never an error:
    the photo is still evidence.
    """
    lon = lat = None
    taken = None
    try:
        exif = image.getexif()
        gps = exif.get_ifd(GPS_IFD)
        if gps and 2 in gps and 4 in gps:
            lat = _degrees(gps[2]) * (-1 if gps.get(1) in ("S", b"S") else 1)
            lon = _degrees(gps[4]) * (-1 if gps.get(3) in ("W", b"W") else 1)
            if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
                lon = lat = None
        raw = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL)
        if raw:
            taken = datetime.strptime(str(raw).strip("\x00"), "%Y:%m:%d %H:%M:%S").replace(
                tzinfo=LOCAL_TZ
            )
    except (ValueError, TypeError, ZeroDivisionError, KeyError, AttributeError):
        return None, None, None
    return lon, lat, taken


def thumbnail(image: Image.Image) -> bytes:
    """A JPEG at most ``THUMB_PX`` on its long side, turned upright per the EXIF orientation."""
    thumb = ImageOps.exif_transpose(image) or image
    thumb = thumb.convert("RGB")
    thumb.thumbnail((THUMB_PX, THUMB_PX))
    out = io.BytesIO()
    thumb.save(out, "JPEG", quality=80)
    return out.getvalue()


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)


def discard_files(photo: ProblemPhoto) -> None:
    """Remove a photo's files (after a failed insert or commit)."""
    root = get_settings().media_dir
    for rel in (photo.path, photo.thumb_path):
        (root / rel).unlink(missing_ok=True)


def add_photo(
    session: Session, problem: Problem, data: bytes, user: UserAccount | None
) -> ProblemPhoto:
    """Check, store and record one photo; the caller commits (and calls ``discard_files`` if
    the commit fails). Evidence: a photo uploaded while the problem is assigned or being
    rectified (it goes with the ``rectified`` step)."""
    content_type = sniff(data)
    image = _decode(data, content_type)
    lon, lat, taken = exif_position(image)
    thumb = thumbnail(image)
    root = get_settings().media_dir
    folder = Path("problems") / str(problem.id)
    name = uuid.uuid4().hex
    ext = "jpg" if content_type == "image/jpeg" else "png"
    photo = ProblemPhoto(
        problem_id=problem.id,
        kind="evidence" if problem.state in ("assigned", "rectifying") else "report",
        path=str(folder / f"{name}.{ext}"),
        thumb_path=str(folder / f"{name}.thumb.jpg"),
        content_type=content_type,
        bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        width=image.width,
        height=image.height,
        exif_lon=lon,
        exif_lat=lat,
        exif_taken_at=taken,
        uploaded_by=user.id if user is not None else None,
    )
    (root / folder).mkdir(parents=True, exist_ok=True)
    try:
        _write(root / photo.path, data)
        _write(root / photo.thumb_path, thumb)
        if lon is not None and lat is not None:
            here = func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)
            distance = func.ST_Distance(cast(here, Geography), cast(Problem.geom, Geography))
            photo.exif_distance_m = session.scalar(
                select(func.round(cast(distance, Numeric), 1)).where(Problem.id == problem.id)
            )
        session.add(photo)
        session.flush()
    except BaseException:
        discard_files(photo)
        raise
    return photo
