"""API shapes of the workflow history, shared by every entity that uses the engine."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from service.bounds import PlausibleDate
from service.inputs import InputModel


class WorkflowEventOut(BaseModel):
    """One history row: ``seq`` 1 is the creation; ``from_state`` is then null."""

    model_config = ConfigDict(from_attributes=True)

    seq: int
    action: str
    from_state: str | None
    to_state: str
    actor_id: int | None
    actor_role: str | None
    note: str | None
    assignee_county: str | None
    assignee_unit_id: int | None
    assignee_township: str | None = None
    due_date: date | None
    data: dict[str, Any]
    at: datetime


class TransitionIn(InputModel):
    """The common body of ``POST .../transitions``; entities may extend it."""

    model_config = ConfigDict(extra="forbid")

    action: str
    note: str | None = None
    assignee_county: str | None = None
    assignee_unit_id: int | None = None
    due_date: PlausibleDate | None = None
