"""Small helpers shared by the governance tests."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.rivers.models import River


def river_id(db: Session, name: str) -> int:
    found = db.scalar(select(River.id).where(River.name == name))
    assert found is not None, name
    return found
