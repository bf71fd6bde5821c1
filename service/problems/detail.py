"""One problem in full: item fields, ordered history, photos, duplicates, allowed actions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auth.models import UserAccount
from service.auth.scope import Scope
from service.problems.models import Problem, ProblemPhoto
from service.problems.queries import get_item, public_only, visible_problem
from service.problems.queries import scope as visible_clause
from service.problems.schemas import (
    Duplicate,
    PhotoOut,
    ProblemOut,
    ProblemPublic,
    public_view,
)
from service.problems.service import possible_duplicates
from service.problems.workflow import PROBLEM_FLOW
from service.reaches.locate import chain
from service.reaches.queries import ancestors
from service.timeutil import local_date
from service.workflow.schemas import WorkflowEventOut


def photo_out(photo: ProblemPhoto) -> PhotoOut:
    base = f"/api/v1/problems/{photo.problem_id}/photos/{photo.id}"
    return PhotoOut(
        id=photo.id,
        kind=photo.kind,
        event_seq=photo.event_seq,
        content_type=photo.content_type,
        bytes=photo.bytes,
        sha256=photo.sha256,
        width=photo.width,
        height=photo.height,
        exif_lon=photo.exif_lon,
        exif_lat=photo.exif_lat,
        exif_distance_m=photo.exif_distance_m,
        exif_taken_at=photo.exif_taken_at,
        uploaded_by=photo.uploaded_by,
        uploaded_at=photo.uploaded_at,
        url=base,
        thumbnail_url=f"{base}/thumbnail",
    )


def photos_of(session: Session, problem_id: int) -> list[PhotoOut]:
    photos = session.scalars(
        select(ProblemPhoto).where(ProblemPhoto.problem_id == problem_id).order_by(ProblemPhoto.id)
    )
    return [photo_out(p) for p in photos]


def visible_duplicates(session: Session, problem: Problem, scope: Scope) -> list[Duplicate]:
    """Possible duplicates the caller may see: ids of covert or out-of-scope problems are
    not revealed through a neighbour's report (issue 14)."""
    found = possible_duplicates(session, problem)
    if not found:
        return []
    allowed = set(
        session.scalars(
            select(Problem.id).where(
                Problem.id.in_([d.id for d in found]), visible_clause(session, scope)
            )
        )
    )
    return [d for d in found if d.id in allowed]


def problem_detail(
    session: Session, problem_id: int, user: UserAccount | None
) -> ProblemOut | ProblemPublic:
    """The full problem for staff in scope; the public view for the others (404 if hidden)."""
    scope = Scope.of(user)
    item = get_item(session, problem_id, scope)
    if public_only(scope):
        return public_view(item)
    problem = visible_problem(session, problem_id, scope)
    assert user is not None
    events = PROBLEM_FLOW.history(session, [problem_id])[problem_id]
    return ProblemOut(
        **dict(item),
        possible_duplicates=visible_duplicates(session, problem, scope)
        if problem.state in PROBLEM_FLOW.open_states
        else [],
        allowed_actions=PROBLEM_FLOW.allowed_actions(problem, user),
        history=[WorkflowEventOut.model_validate(e) for e in events],
        photos=photos_of(session, problem_id),
        # Who answers for it, city -> village, on the day observed (its chief first, then up).
        chain=chain(session, ancestors(session, problem.reach_id), local_date(problem.observed_at)),
    )
