"""issue 18: reaches (河段) at five levels, township offices, duties by level

Revision ID: 0012
Revises: 0011

Reserved so that work on parallel branches keeps one linear chain; the branch that owns it
fills in the operations. Until then it changes nothing.
"""

from collections.abc import Sequence

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
