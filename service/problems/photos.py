"""Photos of problems: sniffed, checked, decoded, EXIF position read, stored with a thumbnail.

Cheap before expensive (issue 14): :func:`read_header` sniffs the type and reads the pixel
count from the image header without decoding a pixel, refusing more than
``photo_max_pixels`` per photo (and :func:`check_request_pixels` more than
``photo_request_max_pixels`` per request); only then does :func:`decode` do the expensive
part (full decode, EXIF, thumbnail), inside :func:`decode_slot` so a worker decodes at most
``photo_decode_concurrency`` photos at once. JPEGs are decoded at a reduced scale (libjpeg
DCT scaling reads the whole file, so damage is still found, into 1/64 of the memory); PNGs
have no reduced decode, hence the pixel limit.

Everything is checked in memory before a byte is written; files are written under
``settings.media_dir / problems / <problem id>`` only after that, and removed again if the
database insert or the commit fails, so a refused upload leaves neither a file nor a row.
"""

from __future__ import annotations

import hashlib
import io
import uuid
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

from geoalchemy2 import Geography
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import Numeric, cast, func, select
from sqlalchemy.orm import Session

from service.auth.models import UserAccount
from service.bounds import plausible_moment
from service.concurrency import loop_semaphore
from service.errors import InvalidInput, UnsupportedMedia
from service.problems.models import Problem, ProblemPhoto
from service.settings import get_settings

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
THUMB_PX = 320
GPS_IFD = 0x8825
EXIF_IFD = 0x8769
DATETIME_ORIGINAL = 36867
_DAMAGED = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    Image.DecompressionBombWarning,
)


@dataclass(frozen=True)
class PhotoHeader:
    """A photo whose type and size were read from its header (nothing decoded yet)."""

    data: bytes
    content_type: str
    width: int
    height: int
    sha256: str

    @property
    def pixels(self) -> int:
        return self.width * self.height


@dataclass(frozen=True)
class DecodedPhoto:
    """A photo fully decoded: its thumbnail and what its EXIF says (WGS84 degrees, UTC)."""

    header: PhotoHeader
    thumbnail: bytes
    exif_lon: float | None
    exif_lat: float | None
    exif_taken_at: datetime | None


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


def _too_many_pixels(what: str, pixels: int, limit: int, field: str) -> InvalidInput:
    return InvalidInput(
        f"{what} has {pixels:,} pixels, over the {limit:,}-pixel limit",
        code="too_many_pixels",
        field=field,
        pixels=pixels,
        limit=limit,
    )


def read_header(data: bytes, field: str = "file") -> PhotoHeader:
    """Type and pixel count from the header only; 415 not an image, 422 damaged or too big."""
    content_type = sniff(data)
    limit = get_settings().photo_max_pixels
    try:
        with warnings.catch_warnings():
            # Our own limit below is lower than Pillow's warning threshold.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            width, height = probe.size
    except Image.DecompressionBombError as exc:
        raise InvalidInput(
            f"image declares more pixels than can be decoded: {exc}",
            code="too_many_pixels",
            field=field,
            limit=limit,
        ) from exc
    except _DAMAGED as exc:
        raise InvalidInput(
            f"the {content_type} file is damaged or truncated: {exc}",
            code="damaged_image",
            field=field,
        ) from exc
    if width * height > limit:
        raise _too_many_pixels(f"image of {width}x{height}", width * height, limit, field)
    return PhotoHeader(data, content_type, width, height, hashlib.sha256(data).hexdigest())


def check_request_pixels(headers: list[PhotoHeader], field: str = "photos") -> None:
    """All photos of one request together stay under ``photo_request_max_pixels``."""
    limit = get_settings().photo_request_max_pixels
    total = sum(h.pixels for h in headers)
    if total > limit:
        raise _too_many_pixels(f"the {len(headers)} photos together", total, limit, field)


@asynccontextmanager
async def decode_slot() -> AsyncIterator[None]:
    """Hold one of the worker's ``photo_decode_concurrency`` decode slots (waiting in the
    event loop, holding no thread or connection)."""
    async with loop_semaphore("photo-decode", get_settings().photo_decode_concurrency):
        yield


def decode(header: PhotoHeader, field: str = "file") -> DecodedPhoto:
    """Fully decode (a truncated or corrupt file is 422, not a half-stored photo), read the
    EXIF position and time, make the thumbnail. The expensive step: run it in a decode slot."""
    expected = "JPEG" if header.content_type == "image/jpeg" else "PNG"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(header.data))
            if image.format != expected:
                raise InvalidInput(
                    f"file starts like {expected} but decodes as {image.format}",
                    code="damaged_image",
                    field=field,
                )
            if expected == "PNG":
                Image.open(io.BytesIO(header.data)).verify()  # chunk CRCs, before decoding
            else:
                image.draft("RGB", (THUMB_PX, THUMB_PX))
            image.load()
            lon, lat, taken = exif_position(image)
            thumb = thumbnail(image)
    except InvalidInput:
        raise
    except (*_DAMAGED, Image.DecompressionBombError) as exc:
        raise InvalidInput(
            f"the {header.content_type} file is damaged or truncated: {exc}",
            code="damaged_image",
            field=field,
        ) from exc
    return DecodedPhoto(header, thumb, lon, lat, taken)


def check_and_decode(data: bytes, field: str = "file") -> DecodedPhoto:
    """Both steps at once, for callers that hold no request (copying a report's photos)."""
    return decode(read_header(data, field), field)


def _degrees(value: Any) -> float:
    d, m, s = (float(Fraction(str(v)) if not isinstance(v, (int, float)) else v) for v in value)
    return d + m / 60.0 + s / 3600.0


def exif_position(image: Image.Image) -> tuple[float | None, float | None, datetime | None]:
    """(lon, lat) in WGS84 degrees (GPS receivers write WGS84) and the time taken, if given.

    A naive EXIF time is read as Asia/Shanghai; one outside the plausible range
    (``service.bounds``) is dropped. Malformed EXIF is ignored, never an error: the photo is
    still evidence.
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
            # Bounded before it is localised: a year-1 EXIF date is dropped, not stored as a
            # timestamp the driver cannot read back (issue 14).
            taken = plausible_moment(datetime.strptime(str(raw).strip("\x00"), "%Y:%m:%d %H:%M:%S"))
    except (ValueError, TypeError, ZeroDivisionError, KeyError, AttributeError, OverflowError):
        return None, None, None
    return lon, lat, taken


def thumbnail(image: Image.Image) -> bytes:
    """A JPEG at most ``THUMB_PX`` on its long side, turned upright per the EXIF orientation.

    Shrunk first (in place, dropping the full-size pixels), turned and converted after, so no
    full-size copy is ever made.
    """
    try:
        image.thumbnail((THUMB_PX, THUMB_PX))
    except (ValueError, OSError):  # modes resize does not take (e.g. I;16): convert first
        image = image.convert("RGB")
        image.thumbnail((THUMB_PX, THUMB_PX))
    thumb = (ImageOps.exif_transpose(image) or image).convert("RGB")
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
    session: Session, problem: Problem, photo_in: DecodedPhoto, user: UserAccount | None
) -> ProblemPhoto:
    """Store and record one decoded photo; the caller commits (and calls ``discard_files`` if
    the commit fails). Evidence: a photo uploaded while the problem is assigned or being
    rectified (it goes with the ``rectified`` step)."""
    header = photo_in.header
    data, content_type = header.data, header.content_type
    lon, lat, taken = photo_in.exif_lon, photo_in.exif_lat, photo_in.exif_taken_at
    thumb = photo_in.thumbnail
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
        sha256=header.sha256,
        width=header.width,
        height=header.height,
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
