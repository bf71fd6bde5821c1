"""Import every table module so ``Base.metadata`` is complete (Alembic, tests).

Each domain adds its ``models`` module here.
"""

from service.areas import models as areas_models
from service.auth import models as auth_models
from service.db import Base
from service.officials import models as officials_models
from service.rivers import models as rivers_models

__all__ = ["Base", "areas_models", "auth_models", "officials_models", "rivers_models"]
