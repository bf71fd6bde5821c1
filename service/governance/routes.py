"""HTTP routes of governance: each resource has its own router, included here."""

from fastapi import APIRouter

from service.governance.lists.routes import router as lists_router
from service.governance.meetings.routes import router as meetings_router

router = APIRouter()
for sub in (lists_router, meetings_router):
    router.include_router(sub)
