"""HTTP: public supervision (公众监督) — anonymous reports tracked by code, moderation by the
office, public statistics, and the report page (issue 10)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session

from service.auth.deps import requires
from service.auth.models import UserAccount
from service.bounds import PlausibleDate
from service.db import SessionDep
from service.errors import InvalidInput, NotFound
from service.pagination import PageDep, set_total
from service.params import Finite, check_range
from service.problems import photos as problem_photos
from service.problems.models import ProblemPhoto
from service.public import pow, queries, service
from service.public.models import PublicReportPhoto
from service.public.schemas import (
    INVALID,
    AcceptIn,
    ChallengeOut,
    MergeIn,
    ModeratedOut,
    ModerationItem,
    RejectIn,
    ReplyIn,
    ReportState,
    StatsOut,
    SubmittedOut,
    TrackingOut,
)
from service.security import ratelimit
from service.security.ratelimit import Limit, client_ip
from service.security.uploads import read_upload
from service.settings import get_settings
from service.web import assets

router = APIRouter(tags=["public"])

Public = Annotated[UserAccount | None, Depends(requires("public.report"))]
Moderator = Annotated[UserAccount, Depends(requires("public.moderate"))]


@dataclass(frozen=True)
class PublicLimits:
    """The abuse limits of public supervision (slots in the database, shared by workers)."""

    reports_by_ip: Limit
    reports_by_contact: Limit
    challenges_by_ip: Limit
    track_misses_by_ip: Limit


def public_limits() -> PublicLimits:
    s = get_settings()
    window = s.public_report_window_minutes * 60
    return PublicLimits(
        Limit("public_reports_ip", s.public_report_limit, window, "reports from this address"),
        Limit(
            "public_reports_contact", s.public_contact_limit, window, "reports with this contact"
        ),
        # Challenges are cheap to ask for but each costs a row: ten per allowed report.
        Limit("public_challenges_ip", 10 * s.public_report_limit, window, "challenges"),
        # Unknown tracking codes from one address: a typo is fine, guessing codes is not.
        Limit(
            "public_track_misses_ip", 20 * s.public_report_limit, window, "unknown tracking codes"
        ),
    )


@router.get("/report", include_in_schema=False)
def report_page(request: Request, user: Public) -> Response:
    """The public report page (zh-CN, phone first): report, track by code, statistics."""
    return assets.file_response(request, assets.resolve("report.html"))


@router.get(
    "/api/v1/public/challenge", response_model=ChallengeOut, operation_id="public_challenge"
)
def challenge(request: Request, session: SessionDep, user: Public) -> dict[str, Any]:
    """A proof-of-work challenge for one report (single use, expiring)."""
    ratelimit.reserve(session, public_limits().challenges_by_ip, client_ip(request))
    made = pow.issue(session)
    session.commit()
    return {"nonce": made.nonce, "difficulty": made.difficulty, "expires_at": made.expires_at}


#: The fields of the public report form (multipart); anything else is refused with 422.
REPORT_FORM_FIELDS = frozenset(
    {
        "lon",
        "lat",
        "category",
        "description",
        "challenge_nonce",
        "challenge_counter",
        "datum",
        "contact",
        "notify_consent",
        "photos",
    }
)


@router.post(
    "/api/v1/public/reports",
    status_code=201,
    response_model=SubmittedOut,
    operation_id="submit_public_report",
    responses=INVALID,
)
async def submit_report(
    request: Request,
    session: SessionDep,
    user: Public,
    lon: Annotated[Finite, Form(description="longitude, degrees")],
    lat: Annotated[Finite, Form(description="latitude, degrees")],
    category: Annotated[str, Form(description="a problem category code")],
    description: Annotated[str, Form()],
    challenge_nonce: Annotated[str, Form()] = "",
    challenge_counter: Annotated[str, Form()] = "",
    datum: Annotated[str, Form(description="wgs84 (GPS), gcj02 (Amap/Tencent), cgcs2000")] = (
        "wgs84"
    ),
    contact: Annotated[str | None, Form(description="phone or e-mail; never shown")] = None,
    notify_consent: Annotated[
        bool,
        Form(description="tell me about this report at my contact (SMS or e-mail; needs one)"),
    ] = False,
    photos: Annotated[list[UploadFile] | None, File(description="up to 3 JPEG/PNG")] = None,
) -> dict[str, Any]:
    """Report a problem without an account. Needs a solved challenge
    (``GET /api/v1/public/challenge``). Returns the tracking code; the contact is kept for
    the office only. Too many reports from one address or contact in the window: 429.

    Order (issue 14): the challenge is spent first, whatever happens next; then the form's
    own checks (a typo costs a challenge, not a slot); then the address's and contact's
    slots are taken; then the cheap checks of substance (photo headers and pixels, the point
    inside the city); only then are the photos decoded, one decode slot at a time.
    """
    ip = client_ip(request)
    form = service.ReportForm(
        lon=lon,
        lat=lat,
        datum=datum,
        category=category,
        description=description,
        contact=contact,
        notify_consent=notify_consent,
    )
    await run_in_threadpool(
        _spend_challenge, session, challenge_nonce.strip(), challenge_counter.strip()
    )
    # Like extra="forbid" on JSON bodies: a misspelt field (``notify_consnet``) is refused,
    # not silently dropped; the consent, above all, must never be assumed.
    unknown = sorted(set((await request.form()).keys()) - REPORT_FORM_FIELDS)
    if unknown:
        raise InvalidInput(f"unknown field {unknown[0]!r}", code="unknown_field", field=unknown[0])
    service.check_form(form)
    uploads = [p for p in photos or [] if p.filename or p.size]
    if len(uploads) > service.MAX_PHOTOS:
        raise InvalidInput(f"at most {service.MAX_PHOTOS} photos per report", field="photos")
    limit = get_settings().photo_max_bytes
    data = [await read_upload(p, limit, what="photo") for p in uploads]
    checked = await run_in_threadpool(_check, session, form, data, ip)
    decoded = []
    async with problem_photos.decode_slot():
        for header in checked.photos:
            decoded.append(await run_in_threadpool(problem_photos.decode, header, "photos"))
    return await run_in_threadpool(_store, session, checked, decoded, ip)


def _spend_challenge(session: Session, nonce: str, counter: str) -> None:
    """Spend the challenge, committed at once: a refusal later on keeps it spent."""
    try:
        pow.consume(session, nonce, counter)
    finally:
        session.commit()


def _check(
    session: Session, form: service.ReportForm, data: list[bytes], ip: str
) -> service.CheckedReport:
    limits = public_limits()
    ratelimit.reserve(session, limits.reports_by_ip, ip)
    contact_key = service.normalise_contact(form.contact)
    if contact_key:
        ratelimit.reserve(session, limits.reports_by_contact, contact_key)
    checked = service.check_report(session, form, data)
    session.commit()  # end the read: waiting for a decode slot holds no connection
    return checked


def _store(
    session: Session,
    checked: service.CheckedReport,
    decoded: list[problem_photos.DecodedPhoto],
    ip: str,
) -> dict[str, Any]:
    report, written = service.store_report(session, checked, decoded, ip)
    try:
        out = queries.tracking_view(session, report.code)  # read back before committing
        session.commit()
    except BaseException:
        service.discard(written)
        raise
    return out


@router.get(
    "/api/v1/public/reports/{code}", response_model=TrackingOut, operation_id="track_public_report"
)
def track_report(request: Request, session: SessionDep, code: str, user: Public) -> dict[str, Any]:
    """Public status and public replies of a report; unknown code: 404 (too many unknown
    codes from one address in the window: 429)."""
    misses = public_limits().track_misses_by_ip
    ip = client_ip(request)
    ratelimit.check(session, misses, ip)
    try:
        return queries.tracking_view(session, code)
    except NotFound:
        ratelimit.reserve(session, misses, ip)
        raise


@router.get(
    "/api/v1/public/stats",
    response_model=StatsOut,
    operation_id="public_stats",
    response_model_by_alias=True,
    responses=INVALID,
)
def public_stats(
    session: SessionDep,
    user: Public,
    from_: Annotated[
        PlausibleDate | None, Query(alias="from", description="submitted on or after")
    ] = None,
    to: Annotated[
        PlausibleDate | None, Query(description="submitted on or before (inclusive)")
    ] = None,
) -> dict[str, Any]:
    """Reports received, accepted, closed, median days to close; per county."""
    check_range(from_, to)
    return queries.stats(session, from_, to)


# ---- moderation (office) ---------------------------------------------------------------


@router.get(
    "/api/v1/public/moderation/reports",
    response_model=list[ModerationItem],
    operation_id="moderation_queue",
)
def moderation_queue(
    session: SessionDep,
    response: Response,
    page: PageDep,
    user: Moderator,
    state: Annotated[ReportState | None, Query(description="default pending")] = None,
) -> list[dict[str, Any]]:
    """Reports waiting for moderation (oldest first), with possible duplicates by place
    and by photo hash, and how many reports came from the same source."""
    total, items = queries.moderation_queue(session, state, page.limit, page.offset)
    set_total(response, total)
    return items


@router.get(
    "/api/v1/public/moderation/reports/{report_id}",
    response_model=ModerationItem,
    operation_id="moderation_report",
)
def moderation_report(session: SessionDep, report_id: int, user: Moderator) -> dict[str, Any]:
    return queries.staff_view(session, service.get_report(session, report_id))


@router.get(
    "/api/v1/public/moderation/reports/{report_id}/photos/{photo_id}",
    operation_id="moderation_photo",
    response_class=FileResponse,
)
def moderation_photo(
    session: SessionDep,
    report_id: int,
    photo_id: int,
    user: Moderator,
    thumbnail: bool = False,
) -> FileResponse:
    photo = session.get(PublicReportPhoto, photo_id)
    if photo is None or photo.report_id != report_id:
        raise NotFound(f"photo {photo_id} of report {report_id} not found")
    rel = photo.thumb_path if thumbnail else photo.path
    media = "image/jpeg" if thumbnail else photo.content_type
    return FileResponse(Path(get_settings().media_dir) / rel, media_type=media)


def _moderated(session: Session, report_id: int, problem_id: int | None) -> dict[str, Any]:
    session.commit()
    report = service.get_report(session, report_id)
    return {"report": queries.staff_view(session, report), "problem_id": problem_id}


@router.post(
    "/api/v1/public/moderation/reports/{report_id}/accept",
    response_model=ModeratedOut,
    operation_id="accept_public_report",
)
def accept_report(
    session: SessionDep, report_id: int, user: Moderator, body: AcceptIn | None = None
) -> dict[str, Any]:
    """Accept: the report becomes a problem, routed by geography, in the normal workflow
    (409 if it was already moderated)."""
    report = service.get_report(session, report_id)
    copied: list[ProblemPhoto] = []
    problem = service.accept(session, report, user, body.note if body else None, copied=copied)
    try:
        return _moderated(session, report_id, problem.id)
    except BaseException:
        for photo in copied:  # the photos copied to the problem: no file without its row
            problem_photos.discard_files(photo)
        raise


@router.post(
    "/api/v1/public/moderation/reports/{report_id}/merge",
    response_model=ModeratedOut,
    operation_id="merge_public_report",
)
def merge_report(
    session: SessionDep, report_id: int, body: MergeIn, user: Moderator
) -> dict[str, Any]:
    """Merge into an existing problem: the report then follows that problem's state."""
    report = service.get_report(session, report_id)
    problem = service.merge(session, report, user, body.problem_id, body.note)
    return _moderated(session, report_id, problem.id)


@router.post(
    "/api/v1/public/moderation/reports/{report_id}/reject",
    response_model=ModeratedOut,
    operation_id="reject_public_report",
)
def reject_report(
    session: SessionDep, report_id: int, body: RejectIn, user: Moderator
) -> dict[str, Any]:
    """Reject with a public reason (未采纳); 422 without one."""
    report = service.get_report(session, report_id)
    service.reject(session, report, user, body.reason)
    return _moderated(session, report_id, None)


@router.post(
    "/api/v1/public/moderation/reports/{report_id}/replies",
    status_code=201,
    response_model=TrackingOut,
    operation_id="reply_public_report",
)
def reply_report(
    session: SessionDep, report_id: int, body: ReplyIn, user: Moderator
) -> dict[str, Any]:
    """A public reply, shown on the tracking page."""
    report = service.get_report(session, report_id)
    service.reply(session, report, user, body.body)
    session.commit()
    return queries.tracking_view(session, report.code)
