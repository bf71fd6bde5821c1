"""issue 23: schema changes so the same code runs on one PostGIS and on Citus

Revision ID: 0017
Revises: 0016

Reserved so that work on parallel branches keeps one linear chain; the branch that owns it
fills in the operations. Until then it changes nothing.
"""

from collections.abc import Sequence

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
