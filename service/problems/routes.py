"""HTTP: problems on the river — report, route, supervise to closure (issue 4)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse

from service.auth.deps import requires
from service.auth.models import UserAccount
from service.auth.scope import Scope
from service.db import SessionDep
from service.errors import Conflict, NotFound
from service.pagination import PageDep, set_total
from service.params import BBoxDep, YearQ
from service.problems import detail as detail_mod
from service.problems import photos, queries, service
from service.problems.deps import Filters, SortQ
from service.problems.models import CATEGORIES, Problem, ProblemPhoto
from service.problems.schemas import (
    PhotoOut,
    ProblemIn,
    ProblemItem,
    ProblemOut,
    ProblemPublic,
    ProblemSummary,
    ProblemTransitionIn,
    public_view,
)
from service.problems.summary import summary
from service.security.uploads import read_upload
from service.settings import get_settings

router = APIRouter(prefix="/api/v1", tags=["problems"])

Reporter = Annotated[UserAccount, Depends(requires("problems.report"))]
Reader = Annotated[UserAccount, Depends(requires("problems.read"))]
Actor = Annotated[UserAccount, Depends(requires("problems.transition"))]
Uploader = Annotated[UserAccount, Depends(requires("problems.photo.upload"))]
PhotoReader = Annotated[UserAccount, Depends(requires("problems.photo.read"))]
StaffReader = Annotated[UserAccount, Depends(requires("problems.summary"))]
MapReader = Annotated[UserAccount | None, Depends(requires("problems.map"))]


@router.post("/problems", status_code=201, response_model=ProblemOut, operation_id="report_problem")
def report_problem(
    session: SessionDep, body: ProblemIn, user: Reporter
) -> ProblemOut | ProblemPublic:
    """Report a problem: routed to the nearest river segment within the snap limit, its
    county, the lowest-level reach holding it (its chief first, then up the chain) and the
    liaison unit on the day observed; 422 outside the city."""
    problem = service.report_problem(session, body, user)
    out = detail_mod.problem_detail(session, problem.id, user)  # read back, then commit
    session.commit()
    return out


@router.get(
    "/problems",
    response_model=list[ProblemItem] | list[ProblemPublic],
    operation_id="list_problems",
)
def list_problems(
    session: SessionDep,
    response: Response,
    page: PageDep,
    user: Reader,
    filters: Filters,
    sort: SortQ = "-observed_at",
) -> list[ProblemItem] | list[ProblemPublic]:
    """Problems the caller may see, newest first (or by ``sort``); ``X-Total-Count`` has
    the total of the filtered list, so a table can say how many rows there are."""
    scope = Scope.of(user)
    total, items = queries.list_problems(
        session, scope, page.limit, page.offset, sort=sort, **filters
    )
    set_total(response, total)
    if queries.public_only(scope):
        return [public_view(i) for i in items]
    return items


@router.get("/problems.geojson", operation_id="problems_geojson")
def problems_geojson(
    session: SessionDep,
    user: MapReader,
    filters: Filters,
    bbox: BBoxDep,
    limit: Annotated[int, Query(ge=1, le=20_000)] = 5000,
) -> dict[str, Any]:
    """Problems for the map (EPSG:4326). Anonymous callers and neighbouring cities see
    category, state, river and date only, and nothing from covert checks (暗访)."""
    return queries.problems_geojson(session, Scope.of(user), limit, bbox=bbox, **filters)


@router.get("/problems/summary", response_model=ProblemSummary, operation_id="problem_summary")
def problem_summary(
    session: SessionDep,
    user: StaffReader,
    year: YearQ,
) -> ProblemSummary:
    """Per county and per river: counts by state, on-time rectification, median days to close."""
    return summary(session, year)


@router.get("/problems/categories", operation_id="problem_categories")
def problem_categories(user: MapReader) -> list[dict[str, str]]:
    """Category codes and their zh-CN labels."""
    return [{"code": k, "label": v} for k, v in CATEGORIES.items()]


@router.get(
    "/problems/{problem_id}", response_model=ProblemOut | ProblemPublic, operation_id="get_problem"
)
def get_problem(session: SessionDep, problem_id: int, user: Reader) -> ProblemOut | ProblemPublic:
    """One problem with its state and ordered ``history`` (public fields for neighbours)."""
    return detail_mod.problem_detail(session, problem_id, user)


@router.post(
    "/problems/{problem_id}/transitions",
    response_model=ProblemOut,
    operation_id="transition_problem",
)
def transition_problem(
    session: SessionDep, problem_id: int, body: ProblemTransitionIn, user: Actor
) -> ProblemOut | ProblemPublic:
    """Take a workflow action. Impossible from the current state: 409 whoever asks;
    possible but not for this caller: 403; both list ``allowed_actions``."""
    problem = queries.visible_problem(session, problem_id, Scope.of(user))
    service.transition(session, problem, body, user)
    out = detail_mod.problem_detail(session, problem_id, user)  # read back, then commit
    session.commit()
    return out


@router.post(
    "/problems/{problem_id}/photos",
    status_code=201,
    response_model=PhotoOut,
    operation_id="upload_problem_photo",
)
async def upload_photo(
    session: SessionDep,
    problem_id: int,
    user: Uploader,
    file: Annotated[UploadFile, File(description="a JPEG or PNG photo")],
) -> PhotoOut:
    """Add a photo (JPEG/PNG, sniffed, size-limited while reading; EXIF GPS kept). While the
    problem is assigned or being rectified it is evidence for the ``rectified`` step.

    Cheap checks first: the problem (404/409) and the pixel count from the header (422);
    only then is the photo decoded, in one of the worker's decode slots."""
    limit = get_settings().photo_max_bytes
    data = await read_upload(file, limit, what="photo")
    header = await run_in_threadpool(_check_photo, session, problem_id, user, data)
    async with photos.decode_slot():
        decoded = await run_in_threadpool(photos.decode, header)
    return await run_in_threadpool(_store_photo, session, problem_id, user, decoded)


def _photo_target(session: Any, problem_id: int, user: UserAccount) -> Problem:
    scope = Scope.of(user)
    problem = queries.visible_problem(session, problem_id, scope)
    if queries.public_only(scope):
        raise NotFound(f"problem {problem_id} not found")
    if problem.state in ("closed", "closed_not_fixed", "duplicate"):
        raise Conflict(f"problem {problem_id} is {problem.state}: no more photos")
    return problem


def _check_photo(
    session: Any, problem_id: int, user: UserAccount, data: bytes
) -> photos.PhotoHeader:
    _photo_target(session, problem_id, user)
    header = photos.read_header(data)
    session.commit()  # end the read: waiting for a decode slot holds no connection
    return header


def _store_photo(
    session: Any, problem_id: int, user: UserAccount, decoded: photos.DecodedPhoto
) -> PhotoOut:
    problem = _photo_target(session, problem_id, user)
    photo = photos.add_photo(session, problem, decoded, user)
    out = detail_mod.photo_out(photo)  # read back, then commit
    try:
        session.commit()
    except BaseException:
        photos.discard_files(photo)
        raise
    return out


def _photo(session: Any, problem_id: int, photo_id: int, user: UserAccount) -> ProblemPhoto:
    queries.visible_problem(session, problem_id, Scope.of(user))
    photo = session.get(ProblemPhoto, photo_id)
    if photo is None or photo.problem_id != problem_id:
        raise NotFound(f"photo {photo_id} of problem {problem_id} not found")
    return photo


@router.get(
    "/problems/{problem_id}/photos",
    response_model=list[PhotoOut],
    operation_id="list_problem_photos",
)
def list_photos(session: SessionDep, problem_id: int, user: PhotoReader) -> list[PhotoOut]:
    queries.visible_problem(session, problem_id, Scope.of(user))
    return detail_mod.photos_of(session, problem_id)


@router.get(
    "/problems/{problem_id}/photos/{photo_id}",
    operation_id="get_problem_photo",
    response_class=FileResponse,
)
def get_photo(
    session: SessionDep, problem_id: int, photo_id: int, user: PhotoReader
) -> FileResponse:
    photo = _photo(session, problem_id, photo_id, user)
    return FileResponse(get_settings().media_dir / photo.path, media_type=photo.content_type)


@router.get(
    "/problems/{problem_id}/photos/{photo_id}/thumbnail",
    operation_id="get_problem_photo_thumbnail",
    response_class=FileResponse,
)
def get_thumbnail(
    session: SessionDep, problem_id: int, photo_id: int, user: PhotoReader
) -> FileResponse:
    photo = _photo(session, problem_id, photo_id, user)
    return FileResponse(get_settings().media_dir / photo.thumb_path, media_type="image/jpeg")
