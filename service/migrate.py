"""Run Alembic migrations from code (the CLI, tests) without an alembic.ini lookup."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

from service.settings import REPO_ROOT


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(REPO_ROOT / "migrations"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def upgrade(connection: Connection | None = None, revision: str = "head") -> None:
    """Migrate to ``revision``; with a connection, inside the caller's transaction."""
    command.upgrade(alembic_config(connection), revision)
