"""Route dependencies of governance: the acting caller from the role matrix."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends

from service.auth.deps import requires
from service.auth.models import UserAccount
from service.governance.common import Actor

#: Staff reads (office, chief, liaison, county).
Reader = Depends(requires("governance.read"))


def acting(permission: str) -> Callable[..., Actor]:
    """A dependency: enforce ``permission`` and return the caller as an :class:`Actor`."""
    check = requires(permission)

    # A default rather than Annotated: the annotation must not refer to the local ``check``
    # (annotations are strings here and FastAPI resolves them in module scope).
    def actor(user: UserAccount | None = Depends(check)) -> Actor:
        assert user is not None  # governance writes are never public
        return Actor.of(user)

    actor.__name__ = f"acting_{permission.replace('.', '_')}"
    return actor


ListsWriter = Annotated[Actor, Depends(acting("lists.write"))]
MeetingsWriter = Annotated[Actor, Depends(acting("meetings.write"))]
ActionItemUpdater = Annotated[Actor, Depends(acting("action_items.update"))]
HealthWriter = Annotated[Actor, Depends(acting("health.write"))]
HealthApprover = Annotated[Actor, Depends(acting("health.approve"))]
InspectionsWriter = Annotated[Actor, Depends(acting("inspections.write"))]
AccountabilityWriter = Annotated[Actor, Depends(acting("accountability.write"))]
AssessmentWriter = Annotated[Actor, Depends(acting("assessment.write"))]
