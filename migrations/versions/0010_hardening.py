"""issue 14: hostile input, races and abuse (atomic counters, challenges, bounds)

Revision ID: 0010
Revises: 0009

``rate_limit_slot``: the per-address, per-contact and per-username limits (public reports,
challenges, sign-in failures, wrong current passwords) as rows taken under an advisory lock
and committed before the work they guard, so they hold across threads and workers.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rate_limit_slot",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("bucket", sa.String(length=32), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_rate_limit_slot_key", "rate_limit_slot", ["bucket", "key_hash", "expires_at"]
    )
    op.create_index("ix_rate_limit_slot_expires_at", "rate_limit_slot", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_rate_limit_slot_expires_at", table_name="rate_limit_slot")
    op.drop_index("ix_rate_limit_slot_key", table_name="rate_limit_slot")
    op.drop_table("rate_limit_slot")
