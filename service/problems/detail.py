"""One problem in full: item fields, ordered history, photos, duplicates, allowed actions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auth.models import UserAccount
from service.problems.models import Problem, ProblemPhoto
from service.problems.queries import get_item, public_only, scope, visible_problem
from service.problems.schemas import public_view
from service.problems.service import possible_duplicates
from service.problems.workflow import PROBLEM_FLOW
from service.workflow.schemas import WorkflowEventOut


def photo_dict(photo: ProblemPhoto) -> dict[str, Any]:
    base = f"/api/v1/problems/{photo.problem_id}/photos/{photo.id}"
    return {
        **{
            c: getattr(photo, c)
            for c in (
                "id",
                "kind",
                "event_seq",
                "content_type",
                "bytes",
                "sha256",
                "width",
                "height",
                "exif_lon",
                "exif_lat",
                "exif_distance_m",
                "exif_taken_at",
                "uploaded_by",
                "uploaded_at",
            )
        },
        "url": base,
        "thumbnail_url": f"{base}/thumbnail",
    }


def photos_of(session: Session, problem_id: int) -> list[dict[str, Any]]:
    photos = session.scalars(
        select(ProblemPhoto).where(ProblemPhoto.problem_id == problem_id).order_by(ProblemPhoto.id)
    )
    return [photo_dict(p) for p in photos]


def visible_duplicates(
    session: Session, problem: Problem, user: UserAccount
) -> list[dict[str, Any]]:
    """Possible duplicates the caller may see: ids of covert or out-of-scope problems are
    not revealed through a neighbour's report (issue 14)."""
    found = possible_duplicates(session, problem)
    if not found:
        return []
    ids = [d["id"] for d in found]
    allowed = set(
        session.scalars(select(Problem.id).where(Problem.id.in_(ids), scope(session, user)))
    )
    return [d for d in found if d["id"] in allowed]


def problem_detail(session: Session, problem_id: int, user: UserAccount | None) -> dict[str, Any]:
    """The full problem for staff in scope; the public view for the others (404 if hidden)."""
    item = get_item(session, problem_id, user)
    if public_only(user):
        return public_view(item)
    problem = visible_problem(session, problem_id, user)
    events = PROBLEM_FLOW.history(session, [problem_id])[problem_id]
    assert user is not None
    return {
        **item,
        "possible_duplicates": visible_duplicates(session, problem, user)
        if problem.state in PROBLEM_FLOW.open_states
        else [],
        "allowed_actions": PROBLEM_FLOW.allowed_actions(problem, user),
        "history": [WorkflowEventOut.model_validate(e).model_dump() for e in events],
        "photos": photos_of(session, problem_id),
    }
