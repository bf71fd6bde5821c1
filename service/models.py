"""Every table, for Alembic and the tests: the models module of each domain in
``service.domains.DOMAINS``, imported here so that ``Base.metadata`` is complete."""

from importlib import import_module

from service.db import Base
from service.domains import DOMAINS

for _domain in DOMAINS:
    if _domain.models:
        import_module(_domain.models)

__all__ = ["Base"]
