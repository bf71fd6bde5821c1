"""Import every table module so ``Base.metadata`` is complete (Alembic, tests).

Each domain adds its ``models`` module here.
"""

from service.areas import models as areas_models
from service.auth import models as auth_models
from service.cross_boundary import models as cross_boundary_models
from service.db import Base
from service.governance import models as governance_models
from service.notifications import models as notifications_models
from service.officials import models as officials_models
from service.patrols import models as patrols_models
from service.problems import models as problems_models
from service.public import models as public_models
from service.rivers import models as rivers_models
from service.security import models as security_models
from service.tiles import models as tiles_models
from service.todo import models as todo_models
from service.workflow import models as workflow_models

__all__ = [
    "Base",
    "areas_models",
    "auth_models",
    "cross_boundary_models",
    "governance_models",
    "notifications_models",
    "officials_models",
    "patrols_models",
    "problems_models",
    "public_models",
    "rivers_models",
    "security_models",
    "tiles_models",
    "todo_models",
    "workflow_models",
]
