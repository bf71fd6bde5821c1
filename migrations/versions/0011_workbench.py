"""issue 15: the staff workbench (download links, exports, search)

Revision ID: 0011
Revises: 0010

``download_link``: single-use, short-lived links to one GET path for one account, so a
click in the browser (a brief, an XLSX, a GeoPackage) downloads without a bearer header and
no long-lived token ever goes into a URL. Only the SHA-256 of a link's token is stored.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "download_link",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("token_version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_download_link_user_id", "download_link", ["user_id"])
    op.create_index("ix_download_link_expires_at", "download_link", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_download_link_expires_at", table_name="download_link")
    op.drop_index("ix_download_link_user_id", table_name="download_link")
    op.drop_table("download_link")
