"""Every governance table, imported together for ``service.models`` (Alembic, tests)."""

from service.governance import documents
from service.governance.accountability import models as accountability_models
from service.governance.agreements import models as agreements_models
from service.governance.assessment import models as assessment_models
from service.governance.health import models as health_models
from service.governance.inspections import models as inspections_models
from service.governance.lists import models as lists_models
from service.governance.meetings import models as meetings_models

__all__ = [
    "accountability_models",
    "agreements_models",
    "assessment_models",
    "documents",
    "health_models",
    "inspections_models",
    "lists_models",
    "meetings_models",
]
