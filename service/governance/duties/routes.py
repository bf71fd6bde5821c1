"""HTTP: the seed's periodic duties of a year and whether they were met."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from service.db import SessionDep
from service.governance.deps import Reader
from service.governance.duties.service import duties
from service.params import YearQ

router = APIRouter(prefix="/api/v1", tags=["governance: duties"])


@router.get("/duties", operation_id="list_duties", dependencies=[Reader])
def list_duties(session: SessionDep, year: YearQ) -> list[dict[str, Any]]:
    """Every periodic duty in the seed for ``year``: ``{code, title, basis, year, subject,
    required, actual, due, status (met / pending / missed), evidence}``."""
    return duties(session, year)
