"""Writes of public supervision: submit a report (anonymous), moderate it (office), reply.

Photos are checked in memory with the problems' photo checks (magic bytes, pixel limits
from the header, then a full decode) before any byte is written; files go under
``media_dir/public/<report id>`` and are removed again if the insert fails, so a refused
report leaves neither file nor row. Cheap checks run before expensive ones (issue 14):
:func:`check_report` does everything short of decoding.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from geoalchemy2.elements import WKTElement
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auth.models import UserAccount
from service.errors import Conflict, InvalidInput, NotFound
from service.problems import photos as problem_photos
from service.problems.models import CATEGORIES, DATUMS, Problem, ProblemPhoto
from service.problems.routing import route_point, to_wgs84
from service.problems.schemas import ProblemIn
from service.problems.service import report_problem
from service.public.models import PublicReply, PublicReport, PublicReportPhoto
from service.public.status import PUBLIC_REPORT_FLOW
from service.settings import get_settings
from service.timeutil import local_date, now_utc
from service.workflow import Actor, WorkflowEvent

MAX_PHOTOS = 3
MAX_DESCRIPTION = 2000
#: Tracking-code alphabet without look-alikes (0/O, 1/I/L): 10 characters = 50 bits.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
PHONE = re.compile(r"^(\+?86)?(1[3-9]\d{9}|0\d{2,3}\d{7,8})$")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


#: The domain event emitted after a public reply (``service.domains``: ``on_events``).
REPLY_EVENT = "public.reply"


@dataclass(frozen=True)
class Replied:
    report: PublicReport
    reply: PublicReply


@dataclass(frozen=True)
class ReportForm:
    """What the public form sends (already split from the multipart body)."""

    lon: float
    lat: float
    datum: str
    category: str
    description: str
    contact: str | None = None
    #: The reporter agrees to be told about this report at ``contact`` (needs a contact).
    notify_consent: bool = False


def normalise_code(code: str) -> str:
    """Upper case, without the spaces and dashes people type between groups."""
    return re.sub(r"[\s-]", "", code).upper()


def normalise_contact(contact: str | None) -> str | None:
    """A phone number (digits, optional +86) or an e-mail address (lower case); else 422."""
    if contact is None or not contact.strip():
        return None
    value = contact.strip()
    if "@" in value:
        if len(value) > 254 or not EMAIL.match(value):
            raise InvalidInput("contact is not a valid e-mail address", field="contact")
        return value.lower()
    digits = re.sub(r"[\s()-]", "", value)
    if not PHONE.match(digits):
        raise InvalidInput(
            "contact is neither a phone number nor an e-mail address", field="contact"
        )
    return digits.removeprefix("+86").removeprefix("86") if len(digits) > 11 else digits


def source_hash(address: str) -> str:
    """A keyed hash of the sender's address: groups reports by source without keeping it."""
    key = get_settings().secret_key.encode()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()


def _new_code(session: Session) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if session.scalar(select(PublicReport.id).where(PublicReport.code == code)) is None:
            return code


def _validate(form: ReportForm) -> str:
    if form.category not in CATEGORIES:
        raise InvalidInput(
            f"unknown category {form.category!r}; categories are: {', '.join(CATEGORIES)}",
            field="category",
        )
    if form.datum not in DATUMS:
        raise InvalidInput(
            f"unknown datum {form.datum!r}; datums are: {', '.join(DATUMS)}", field="datum"
        )
    if not (-180 <= form.lon <= 180 and -90 <= form.lat <= 90):
        raise InvalidInput("lon/lat are not degrees on the earth", field="lon")
    text = form.description.strip()
    if not text:
        raise InvalidInput("description is empty", field="description")
    if len(text) > MAX_DESCRIPTION:
        raise InvalidInput(
            f"description is longer than {MAX_DESCRIPTION} characters", field="description"
        )
    return text


@dataclass(frozen=True)
class CheckedReport:
    """A report that passed every cheap check: fields, contact, photo headers and pixel
    counts, duplicates, and the point inside the city (routed to its county). Nothing has
    been decoded or written yet."""

    form: ReportForm
    description: str
    contact: str | None
    lon: float
    lat: float
    county_code: str
    photos: list[problem_photos.PhotoHeader]


def check_form(form: ReportForm) -> tuple[str, str | None]:
    """The form's own checks, no database: category, datum, degrees, description, contact,
    consent (422 naming the field). Returns the description and the normalised contact."""
    description, contact = _validate(form), normalise_contact(form.contact)
    if form.notify_consent and contact is None:
        raise InvalidInput(
            "notify_consent needs a contact (a phone number or an e-mail address)",
            field="notify_consent",
        )
    return description, contact


def check_report(
    session: Session, form: ReportForm, photos: list[bytes], *, now: datetime | None = None
) -> CheckedReport:
    """Everything short of decoding the photos, cheapest first (issue 14): fields (422),
    photo count, type (415) and pixels from the headers (422), photos sent before (409), the
    point inside the city (422). Reads only."""
    now = now or now_utc()
    description, contact = check_form(form)
    if len(photos) > MAX_PHOTOS:
        raise InvalidInput(
            f"at most {MAX_PHOTOS} photos per report, got {len(photos)}", field="photos"
        )
    headers = [problem_photos.read_header(data, "photos") for data in photos]
    problem_photos.check_request_pixels(headers)
    hashes = [h.sha256 for h in headers]
    if len(set(hashes)) != len(hashes):
        raise InvalidInput(
            "the same photo was attached twice", code="duplicate_photo", field="photos"
        )
    if hashes and session.scalar(
        select(PublicReportPhoto.id).where(PublicReportPhoto.sha256.in_(hashes)).limit(1)
    ):
        raise Conflict(
            "this photo was already sent with an earlier report",
            code="duplicate_photo",
            field="photos",
        )
    lon, lat = to_wgs84(form.lon, form.lat, form.datum)
    routing = route_point(session, lon, lat, local_date(now))  # 422 outside the city
    return CheckedReport(form, description, contact, lon, lat, routing.county_code, headers)


def store_report(
    session: Session,
    checked: CheckedReport,
    photos: list[problem_photos.DecodedPhoto],
    address: str,
    *,
    now: datetime | None = None,
    synthetic: bool = False,
) -> tuple[PublicReport, list[Path]]:
    """Store a checked report, its decoded photos and history row 1 (the caller commits).

    Returns the report and the files written (the caller removes them if the commit fails).
    """
    now = now or now_utc()
    form = checked.form
    report = PublicReport(
        code=_new_code(session),
        category=form.category,
        description=checked.description,
        geom=WKTElement(f"POINT({checked.lon!r} {checked.lat!r})", srid=4326),
        input_lon=form.lon,
        input_lat=form.lat,
        datum=form.datum,
        county_code=checked.county_code,
        contact=checked.contact,
        notify_consent=form.notify_consent,
        source_hash=source_hash(address),
        submitted_at=now,
        state=PUBLIC_REPORT_FLOW.initial,
        is_synthetic=synthetic,
        # The office's moderation clock (shown in its to-do).
        due_date=local_date(now) + timedelta(days=get_settings().public_moderation_days),
    )
    session.add(report)
    session.flush()
    written: list[Path] = []
    root = get_settings().media_dir
    folder = Path("public") / str(report.id)
    try:
        for decoded in photos:
            header = decoded.header
            name = uuid.uuid4().hex
            ext = "jpg" if header.content_type == "image/jpeg" else "png"
            photo = PublicReportPhoto(
                report_id=report.id,
                path=str(folder / f"{name}.{ext}"),
                thumb_path=str(folder / f"{name}.thumb.jpg"),
                content_type=header.content_type,
                bytes=len(header.data),
                sha256=header.sha256,
                width=header.width,
                height=header.height,
            )
            (root / folder).mkdir(parents=True, exist_ok=True)
            for rel, payload in ((photo.path, header.data), (photo.thumb_path, decoded.thumbnail)):
                (root / rel).write_bytes(payload)
                written.append(root / rel)
            session.add(photo)
        PUBLIC_REPORT_FLOW.start(session, report, None, at=now)
    except BaseException:
        discard(written)
        raise
    return report, written


def submit_report(
    session: Session,
    form: ReportForm,
    photos: list[bytes],
    address: str,
    *,
    now: datetime | None = None,
    synthetic: bool = False,
) -> tuple[PublicReport, list[Path]]:
    """Check, decode and store in one call (the demo; the route runs the steps apart, so
    the decoding waits for a decode slot). Raises InvalidInput (422), UnsupportedMedia (415)
    or Conflict (409: a photo already sent)."""
    checked = check_report(session, form, photos, now=now)
    decoded = [problem_photos.decode(h, "photos") for h in checked.photos]
    return store_report(session, checked, decoded, address, now=now, synthetic=synthetic)


def discard(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def get_report(session: Session, report_id: int) -> PublicReport:
    report = session.get(PublicReport, report_id)
    if report is None:
        raise NotFound(f"public report {report_id} not found")
    return report


def photos_of(session: Session, report_id: int) -> list[PublicReportPhoto]:
    return list(
        session.scalars(
            select(PublicReportPhoto)
            .where(PublicReportPhoto.report_id == report_id)
            .order_by(PublicReportPhoto.id)
        )
    )


def accept(
    session: Session,
    report: PublicReport,
    user: Actor,
    note: str | None = None,
    *,
    at: datetime | None = None,
    synthetic: bool = False,
    copied: list[ProblemPhoto] | None = None,
) -> Problem:
    """Turn a pending report into a problem of the normal workflow (routed by geography by
    the problems service), its photos copied, the report recorded as its origin.
    ``at``/``synthetic``: the demo backdates and marks what it makes. ``copied`` collects the
    problem photos written, so the caller can remove their files if the commit fails."""
    session.refresh(report, with_for_update=True)
    PUBLIC_REPORT_FLOW.check(report, "accept", user)
    body = ProblemIn(
        lon=report.input_lon,
        lat=report.input_lat,
        datum=report.datum,  # type: ignore[arg-type]
        category=report.category,  # type: ignore[arg-type]
        description=f"【公众举报 {report.code}】{report.description}",
        observed_at=report.submitted_at,
        covert=False,
    )
    problem = report_problem(session, body, user, now=at, synthetic=synthetic)
    root = get_settings().media_dir
    uploader = user if isinstance(user, UserAccount) else None
    for photo in photos_of(session, report.id):
        made = problem_photos.add_photo(
            session,
            problem,
            problem_photos.check_and_decode((root / photo.path).read_bytes()),
            uploader,
        )
        if copied is not None:
            copied.append(made)
    # The problem's first history row names its origin (the tracking code is not secret to
    # staff; the contact stays on the report).
    first = session.scalar(
        select(WorkflowEvent).where(
            WorkflowEvent.entity_type == "problem",
            WorkflowEvent.entity_id == problem.id,
            WorkflowEvent.seq == 1,
        )
    )
    if first is not None:
        first.data = {
            **first.data,
            "origin": "public_report",
            "public_report_id": report.id,
            "public_report_code": report.code,
        }
    PUBLIC_REPORT_FLOW.apply(
        session, report, "accept", user, note=note, data={"problem_id": problem.id}, at=at
    )
    report.problem_id = problem.id
    session.flush()
    return problem


def merge(
    session: Session,
    report: PublicReport,
    user: Actor,
    problem_id: int | None,
    note: str | None = None,
) -> Problem:
    """Attach a pending report to an existing problem (a duplicate report of a known one)."""
    session.refresh(report, with_for_update=True)
    PUBLIC_REPORT_FLOW.check(report, "merge", user, data={"problem_id": problem_id})
    problem = session.get(Problem, problem_id)
    if problem is None:
        raise InvalidInput(f"problem {problem_id} does not exist", field="problem_id")
    if problem.state == "duplicate" and problem.duplicate_of is not None:
        problem = session.get(Problem, problem.duplicate_of) or problem
    PUBLIC_REPORT_FLOW.apply(
        session, report, "merge", user, note=note, data={"problem_id": problem.id}
    )
    report.problem_id = problem.id
    session.flush()
    return problem


def reject(
    session: Session,
    report: PublicReport,
    user: Actor,
    reason: str | None,
    *,
    at: datetime | None = None,
) -> None:
    """Reject with a reason the reporter will read (422 without one)."""
    PUBLIC_REPORT_FLOW.apply(session, report, "reject", user, note=reason, at=at)
    report.reject_reason = (reason or "").strip()
    session.flush()


def reply(session: Session, report: PublicReport, user: Actor, body: str) -> PublicReply:
    """A public reply of the office, shown on the tracking page."""
    text = body.strip()
    if not text:
        raise InvalidInput("reply body is empty", field="body")
    row = PublicReply(report_id=report.id, body=text, author_id=user.id)
    session.add(row)
    session.flush()
    from service.domains import compose

    compose().emit(session, REPLY_EVENT, Replied(report, row))
    return row
