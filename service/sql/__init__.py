"""Named spatial SQL, one file per question, each with a header: inputs, outputs, SRID, units."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from sqlalchemy import TextClause, text


@cache
def load_sql(name: str) -> TextClause:
    """The statement in ``service/sql/<name>.sql`` as a bindable ``text()`` clause."""
    return text(files("service.sql").joinpath(f"{name}.sql").read_text(encoding="utf-8"))
