"""Query parameters of the problem lists and exports (``GET /problems``, ``problems.geojson``,
``/exports/problems.*``): the same filters everywhere, so an export holds what its table shows.

``q`` finds a problem by its id, by the tracking code of the public report it came from, or
(staff only) by words of its description; an edge module, since codes live in ``public``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Depends, Query
from sqlalchemy import select

from service.bounds import PlausibleDate
from service.db import SessionDep
from service.errors import InvalidInput
from service.params import check_range
from service.problems.schemas import Category
from service.problems.workflow import STATE_LABELS
from service.public.models import PublicReport
from service.public.service import normalise_code

#: Orders of ``GET /problems`` (``-`` for descending); ties by id, newest first.
Sort = Literal[
    "observed_at",
    "-observed_at",
    "reported_at",
    "-reported_at",
    "due_date",
    "-due_date",
    "id",
    "-id",
    "state",
    "-state",
    "category",
    "-category",
    "county",
    "-county",
    "river",
    "-river",
]
SortQ = Annotated[Sort, Query(description="order: a column, '-' first for descending")]


def _states(state: str | None) -> list[str] | None:
    if not state:
        return None
    wanted = [s.strip() for s in state.split(",") if s.strip()]
    unknown = [s for s in wanted if s not in STATE_LABELS]
    if unknown:
        raise InvalidInput(
            f"unknown state {unknown[0]!r}; states are: {', '.join(STATE_LABELS)}", field="state"
        )
    return wanted


def _ids_for(session: Any, q: str) -> list[int]:
    """Problems ``q`` names by id or by a public report's tracking code."""
    ids = [int(q)] if q.isdigit() and len(q) <= 9 else []
    code = normalise_code(q)
    if 4 <= len(code) <= 16:
        ids += [
            pid
            for pid in session.scalars(
                select(PublicReport.problem_id).where(
                    PublicReport.code == code, PublicReport.problem_id.is_not(None)
                )
            )
            if pid is not None
        ]
    return ids


def _filters(
    session: SessionDep,
    state: Annotated[str | None, Query(description="state, or several comma-separated")] = None,
    river_id: int | None = None,
    county: Annotated[str | None, Query(description="county code (where, or assigned to)")] = None,
    township: Annotated[
        str | None,
        Query(pattern=r"^[0-9]{9}$", description="township code (where, or assigned to)"),
    ] = None,
    overdue: Annotated[bool | None, Query(description="past due date, not yet rectified")] = None,
    from_: Annotated[
        PlausibleDate | None, Query(alias="from", description="observed on or after")
    ] = None,
    to: Annotated[
        PlausibleDate | None, Query(description="observed on or before (inclusive)")
    ] = None,
    category: Category | None = None,
    off_river: bool | None = None,
    q: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=100,
            description="an id, a tracking code, or words of the description (staff)",
        ),
    ] = None,
) -> dict[str, Any]:
    check_range(from_, to)
    text = q.strip() if q else None
    return {
        "state": _states(state),
        "river_id": river_id,
        "county": county,
        "township": township,
        "overdue": overdue,
        "start": from_,
        "end": to,
        "category": category,
        "off_river": off_river,
        "q": text or None,
        "q_ids": _ids_for(session, text) if text else [],
    }


Filters = Annotated[dict[str, Any], Depends(_filters)]
