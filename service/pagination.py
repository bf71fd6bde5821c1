"""List conventions: a bare JSON array, ``limit``/``offset``, and ``X-Total-Count``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Query, Response

T = TypeVar("T")


@dataclass
class Page:
    """Query-parameter group for list endpoints (titiler-style dataclass dependency)."""

    limit: Annotated[int, Query(ge=1, le=10_000, description="page size")] = 1000
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="rows to skip")] = 0


PageDep = Annotated[Page, Depends(Page)]


def paginate(items: Sequence[T], page: Page, response: Response) -> list[T]:
    """Slice an already-filtered list and set ``X-Total-Count``; for small lists."""
    response.headers["X-Total-Count"] = str(len(items))
    return list(items[page.offset : page.offset + page.limit])


def set_total(response: Response, total: int) -> None:
    """For lists paginated in SQL: set the header from a separate count."""
    response.headers["X-Total-Count"] = str(total)
