"""HTTP routes of governance: each resource has its own router, included here."""

from fastapi import APIRouter

from service.governance.accountability.routes import router as accountability_router
from service.governance.assessment.routes import router as assessment_router
from service.governance.duties.routes import router as duties_router
from service.governance.health.routes import router as health_router
from service.governance.inspections.routes import router as inspections_router
from service.governance.lists.routes import router as lists_router
from service.governance.meetings.routes import router as meetings_router

router = APIRouter()
for sub in (
    lists_router,
    meetings_router,
    health_router,
    inspections_router,
    accountability_router,
    assessment_router,
    duties_router,
):
    router.include_router(sub)
