"""issue 22: merged coverage kept up to date on write

Revision ID: 0016
Revises: 0015

Reserved so that work on parallel branches keeps one linear chain; the branch that owns it
fills in the operations. Until then it changes nothing.
"""

from collections.abc import Sequence

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
