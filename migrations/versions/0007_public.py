"""public: citizens' reports (moderated, tracked by code), replies, proof-of-work
challenges; reminders of the personal to-do

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CATEGORIES = (
    "sand_mining",
    "garbage",
    "sewage_outfall",
    "illegal_construction",
    "illegal_fishing",
    "water_quality",
    "other",
)


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    op.create_table(
        "pow_challenge",
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("difficulty", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("nonce"),
    )
    op.create_index(op.f("ix_pow_challenge_expires_at"), "pow_challenge", ["expires_at"])
    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("link", sa.Text(), nullable=False),
        sa.Column("overdue", sa.Boolean(), nullable=False),
        sa.Column("remind_on", sa.Date(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "item_key", "remind_on", name="uq_reminder_item_day"),
    )
    op.create_index(op.f("ix_reminder_remind_on"), "reminder", ["remind_on"])
    op.create_index(op.f("ix_reminder_user_id"), "reminder", ["user_id"])
    op.create_geospatial_table(
        "public_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=24), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="POINT",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.Column("input_lon", sa.Float(), nullable=False),
        sa.Column("input_lat", sa.Float(), nullable=False),
        sa.Column("datum", sa.String(length=8), nullable=False),
        sa.Column("county_code", sa.String(length=12), nullable=False),
        sa.Column("contact", sa.Text(), nullable=True),
        sa.Column("source_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "submitted_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("problem_id", sa.Integer(), nullable=True),
        sa.Column("reject_reason", sa.Text(), nullable=True),
        sa.Column("is_synthetic", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("state_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("assignee_county", sa.String(length=12), nullable=True),
        sa.Column("assignee_unit_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(_in("category", CATEGORIES), name="ck_public_report_category"),
        sa.CheckConstraint(
            _in("datum", ("wgs84", "cgcs2000", "gcj02")), name="ck_public_report_datum"
        ),
        sa.CheckConstraint(
            _in("state", ("pending", "accepted", "merged", "rejected")),
            name="ck_public_report_state",
        ),
        sa.ForeignKeyConstraint(["assignee_county"], ["admin_area.code"]),
        sa.ForeignKeyConstraint(["assignee_unit_id"], ["liaison_unit.id"]),
        sa.ForeignKeyConstraint(["county_code"], ["admin_area.code"]),
        sa.ForeignKeyConstraint(["problem_id"], ["problem.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_geospatial_index(
        "idx_public_report_geom",
        "public_report",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    for column in (
        "assignee_county",
        "county_code",
        "problem_id",
        "source_hash",
        "state",
        "submitted_at",
    ):
        op.create_index(op.f(f"ix_public_report_{column}"), "public_report", [column])
    op.create_table(
        "public_reply",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["author_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["report_id"], ["public_report.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_public_reply_report_id"), "public_reply", ["report_id"])
    op.create_table(
        "public_report_photo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("thumb_path", sa.Text(), nullable=False),
        sa.Column("content_type", sa.String(length=16), nullable=False),
        sa.Column("bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "content_type IN ('image/jpeg', 'image/png')", name="ck_public_photo_type"
        ),
        sa.ForeignKeyConstraint(["report_id"], ["public_report.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_public_report_photo_report_id"), "public_report_photo", ["report_id"])
    op.create_index(op.f("ix_public_report_photo_sha256"), "public_report_photo", ["sha256"])


def downgrade() -> None:
    op.drop_table("public_report_photo")
    op.drop_table("public_reply")
    op.drop_geospatial_index(
        "idx_public_report_geom", table_name="public_report", column_name="geom"
    )
    op.drop_geospatial_table("public_report")
    op.drop_table("reminder")
    op.drop_table("pow_challenge")
