"""issue 19: 一河一档 river archive and 公示牌 signboards

Revision ID: 0013
Revises: 0012

Reserved so that work on parallel branches keeps one linear chain; the branch that owns it
fills in the operations. Until then it changes nothing.
"""

from collections.abc import Sequence

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
