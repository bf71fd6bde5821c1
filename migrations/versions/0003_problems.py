"""problems: the generic workflow history, problems and their photos

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
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


def upgrade() -> None:
    op.create_table(
        "workflow_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_type", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("from_state", sa.String(length=24), nullable=True),
        sa.Column("to_state", sa.String(length=24), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_role", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("assignee_county", sa.String(length=12), nullable=True),
        sa.Column("assignee_unit_id", sa.Integer(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column(
            "data", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False
        ),
        sa.Column(
            "at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.ForeignKeyConstraint(["actor_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("entity_type", "entity_id", "seq", name="uq_workflow_event_seq"),
    )
    op.create_index(
        "ix_workflow_event_entity", "workflow_event", ["entity_type", "entity_id"], unique=False
    )
    op.create_geospatial_table(
        "problem",
        sa.Column("id", sa.Integer(), nullable=False),
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
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "reported_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("reporter_id", sa.Integer(), nullable=True),
        sa.Column("patrol_id", sa.Integer(), nullable=True),
        sa.Column("river_id", sa.Integer(), nullable=True),
        sa.Column("segment_id", sa.Integer(), nullable=True),
        sa.Column("county_code", sa.String(length=12), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("off_river", sa.Boolean(), nullable=False),
        sa.Column("chief_official_id", sa.Integer(), nullable=True),
        sa.Column("liaison_unit_id", sa.Integer(), nullable=True),
        sa.Column("covert", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("duplicate_of", sa.Integer(), nullable=True),
        sa.Column("is_synthetic", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("state_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("assignee_county", sa.String(length=12), nullable=True),
        sa.Column("assignee_unit_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "category IN (" + ", ".join(f"'{c}'" for c in CATEGORIES) + ")",
            name="ck_problem_category",
        ),
        sa.CheckConstraint("datum IN ('wgs84', 'cgcs2000', 'gcj02')", name="ck_problem_datum"),
        sa.CheckConstraint("off_river = (river_id IS NULL)", name="ck_problem_off_river"),
        sa.ForeignKeyConstraint(["assignee_county"], ["admin_area.code"]),
        sa.ForeignKeyConstraint(["assignee_unit_id"], ["liaison_unit.id"]),
        sa.ForeignKeyConstraint(["chief_official_id"], ["official.id"]),
        sa.ForeignKeyConstraint(["county_code"], ["admin_area.code"]),
        sa.ForeignKeyConstraint(["duplicate_of"], ["problem.id"]),
        sa.ForeignKeyConstraint(["liaison_unit_id"], ["liaison_unit.id"]),
        sa.ForeignKeyConstraint(["patrol_id"], ["patrol.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["reporter_id"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["river_id"], ["river.id"]),
        sa.ForeignKeyConstraint(["segment_id"], ["segment.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_geospatial_index(
        "idx_problem_geom",
        "problem",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    for column in (
        "assignee_county",
        "category",
        "county_code",
        "observed_at",
        "patrol_id",
        "river_id",
        "state",
    ):
        op.create_index(op.f(f"ix_problem_{column}"), "problem", [column], unique=False)
    op.create_table(
        "problem_photo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("problem_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("event_seq", sa.Integer(), nullable=True),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("thumb_path", sa.Text(), nullable=False),
        sa.Column("content_type", sa.String(length=16), nullable=False),
        sa.Column("bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("exif_lon", sa.Float(), nullable=True),
        sa.Column("exif_lat", sa.Float(), nullable=True),
        sa.Column("exif_distance_m", sa.Float(), nullable=True),
        sa.Column("exif_taken_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column(
            "uploaded_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("content_type IN ('image/jpeg', 'image/png')", name="ck_photo_type"),
        sa.CheckConstraint("kind IN ('report', 'evidence')", name="ck_photo_kind"),
        sa.ForeignKeyConstraint(["problem_id"], ["problem.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["uploaded_by"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_problem_photo_problem_id"), "problem_photo", ["problem_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_problem_photo_problem_id"), table_name="problem_photo")
    op.drop_table("problem_photo")
    for column in (
        "assignee_county",
        "category",
        "county_code",
        "observed_at",
        "patrol_id",
        "river_id",
        "state",
    ):
        op.drop_index(op.f(f"ix_problem_{column}"), table_name="problem")
    op.drop_geospatial_index("idx_problem_geom", table_name="problem", column_name="geom")
    op.drop_geospatial_table("problem")
    op.drop_index("ix_workflow_event_entity", table_name="workflow_event")
    op.drop_table("workflow_event")
