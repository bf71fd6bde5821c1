"""patrols: raw uploads, cleaned tracks, covered intervals of segments

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "patrol_upload",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("filename", sa.Text(), nullable=True),
        sa.Column("content_type", sa.Text(), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("sha256"),
    )
    op.create_geospatial_table(
        "patrol",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chief_id", sa.Integer(), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("upload_sha256", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.String(length=128), nullable=True),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("datum", sa.String(length=8), nullable=False),
        sa.Column("patrol_date", sa.Date(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("has_times", sa.Boolean(), nullable=False),
        sa.Column("duration_min", sa.Float(), nullable=True),
        sa.Column("length_m", sa.Float(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("warnings", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("cleaning", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("valid", sa.Boolean(), nullable=False),
        sa.Column("invalid_reasons", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("voided_by", sa.Integer(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.Column("is_synthetic", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="MULTILINESTRINGM",
                srid=4326,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.CheckConstraint("datum IN ('wgs84', 'gcj02')", name="ck_patrol_datum"),
        sa.CheckConstraint(
            "(voided_at IS NULL) = (void_reason IS NULL)", name="ck_patrol_void_reason"
        ),
        sa.ForeignKeyConstraint(["chief_id"], ["official.id"]),
        sa.ForeignKeyConstraint(["upload_sha256"], ["patrol_upload.sha256"]),
        sa.ForeignKeyConstraint(["uploaded_by"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["voided_by"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("chief_id", "upload_sha256", name="uq_patrol_chief_upload"),
        sa.UniqueConstraint("client_id"),
    )
    # Tracks (kilobytes each) go to TOAST, so the patrol heap stays small for the scans of
    # coverage, lists and compliance (65 MB -> 5 MB for 10,000 demo patrols); PostGIS's
    # default MAIN storage keeps them inline.
    op.execute("ALTER TABLE patrol ALTER COLUMN geom SET STORAGE EXTERNAL")
    op.create_geospatial_index(
        "idx_patrol_geom",
        "patrol",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_index(op.f("ix_patrol_chief_id"), "patrol", ["chief_id"], unique=False)
    op.create_index(op.f("ix_patrol_upload_sha256"), "patrol", ["upload_sha256"], unique=False)
    op.create_index("ix_patrol_date_valid", "patrol", ["patrol_date", "valid"], unique=False)
    op.create_table(
        "patrol_coverage",
        sa.Column("patrol_id", sa.Integer(), nullable=False),
        sa.Column("segment_id", sa.Integer(), nullable=False),
        sa.Column("start_frac", sa.Float(), nullable=False),
        sa.Column("end_frac", sa.Float(), nullable=False),
        sa.CheckConstraint(
            "start_frac >= 0 AND end_frac <= 1 AND start_frac < end_frac",
            name="ck_patrol_coverage_fracs",
        ),
        sa.ForeignKeyConstraint(["patrol_id"], ["patrol.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["segment_id"], ["segment.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("patrol_id", "segment_id", "start_frac"),
    )
    op.create_index(
        op.f("ix_patrol_coverage_segment_id"), "patrol_coverage", ["segment_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_patrol_coverage_segment_id"), table_name="patrol_coverage")
    op.drop_table("patrol_coverage")
    op.drop_index("ix_patrol_date_valid", table_name="patrol")
    op.drop_index(op.f("ix_patrol_upload_sha256"), table_name="patrol")
    op.drop_index(op.f("ix_patrol_chief_id"), table_name="patrol")
    op.drop_geospatial_index("idx_patrol_geom", table_name="patrol", column_name="geom")
    op.drop_geospatial_table("patrol")
    op.drop_table("patrol_upload")
