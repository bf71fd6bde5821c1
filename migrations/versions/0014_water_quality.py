"""issue 20: monitoring sections and water-quality readings

Revision ID: 0014
Revises: 0013

Reserved so that work on parallel branches keeps one linear chain; the branch that owns it
fills in the operations. Until then it changes nothing.
"""

from collections.abc import Sequence

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
