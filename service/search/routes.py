"""HTTP: the workbench's one search box (issue 15)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from service.auth.deps import requires
from service.auth.matrix import allowed
from service.auth.models import UserAccount
from service.auth.scope import Scope
from service.db import SessionDep
from service.search import queries
from service.search.schemas import SearchOut

router = APIRouter(prefix="/api/v1", tags=["search"])

Searcher = Annotated[UserAccount | None, Depends(requires("search.read"))]


@router.get("/search", response_model=SearchOut, operation_id="search")
def search(
    session: SessionDep,
    user: Searcher,
    q: Annotated[str, Query(min_length=1, max_length=100, description="a name, id or code")],
    limit: Annotated[int, Query(ge=1, le=50, description="hits at most, all kinds")] = 10,
) -> SearchOut:
    """Rivers, counties, officials (river chiefs) and problems (by id or tracking code) for
    the map: each hit has its kind, id, label and a point or bbox (EPSG:4326). Problems only
    for callers who may read them, and only those they may see."""
    text = q.strip()
    items = []
    if text:
        role = None if user is None else user.role
        if allowed("problems.read", role):
            items += queries.problems(session, Scope.of(user), text, limit)
        items += queries.counties(session, text, limit)
        items += queries.rivers(session, text, limit)
        items += queries.officials(session, text, limit)
    return SearchOut(q=text, items=items[:limit])
