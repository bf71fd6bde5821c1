"""issue 19: 一河一档 river archive and 公示牌 signboards

Revision ID: 0013
Revises: 0012

Schema: ``river_archive`` (the archive fields of a river the office types in; the rest is
computed on read), ``signboard`` (a board by a reach: number, point, installation date,
photo) and ``signboard_print`` (what each printing showed, and its hash).
"""

from collections.abc import Sequence

import geoalchemy2
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "river_archive",
        sa.Column("river_id", sa.Integer(), nullable=False),
        sa.Column("river_level", sa.Text(), nullable=True),
        sa.Column("basin", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("mouth", sa.Text(), nullable=True),
        sa.Column("total_length_km", sa.Float(), nullable=True),
        sa.Column("catchment_area_km2", sa.Float(), nullable=True),
        sa.Column(
            "water_function_zones",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="[]",
            nullable=False,
        ),
        sa.Column(
            "main_problems",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="[]",
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "catchment_area_km2 IS NULL OR catchment_area_km2 > 0", name="ck_river_archive_area"
        ),
        sa.CheckConstraint(
            "total_length_km IS NULL OR total_length_km > 0", name="ck_river_archive_length"
        ),
        sa.ForeignKeyConstraint(["river_id"], ["river.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["updated_by"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("river_id"),
    )
    op.create_table(
        "signboard",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("reach_id", sa.Integer(), nullable=False),
        sa.Column(
            "geom",
            geoalchemy2.types.Geometry(
                geometry_type="POINT", srid=4326, spatial_index=False, from_text="ST_GeomFromEWKT"
            ),
            nullable=False,
        ),
        sa.Column("installed_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("photo_path", sa.Text(), nullable=True),
        sa.Column("photo_content_type", sa.String(length=16), nullable=True),
        sa.Column("photo_bytes", sa.BigInteger(), nullable=True),
        sa.Column("photo_sha256", sa.String(length=64), nullable=True),
        sa.Column("is_demo", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("length(number) BETWEEN 1 AND 40", name="ck_signboard_number"),
        sa.CheckConstraint(
            "photo_content_type IS NULL OR photo_content_type IN ('image/jpeg', 'image/png')",
            name="ck_signboard_photo_type",
        ),
        sa.ForeignKeyConstraint(["reach_id"], ["reach.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    op.create_geospatial_index(
        "idx_signboard_geom",
        "signboard",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_index(op.f("ix_signboard_reach_id"), "signboard", ["reach_id"])
    op.create_table(
        "signboard_print",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("signboard_id", sa.Integer(), nullable=False),
        sa.Column("paper", sa.String(length=2), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("content", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("printed_by", sa.Integer(), nullable=True),
        sa.Column(
            "printed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("paper IN ('A4', 'A3')", name="ck_signboard_print_paper"),
        sa.ForeignKeyConstraint(["printed_by"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["signboard_id"], ["signboard.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_signboard_print_signboard_id"), "signboard_print", ["signboard_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_signboard_print_signboard_id"), table_name="signboard_print")
    op.drop_table("signboard_print")
    op.drop_index(op.f("ix_signboard_reach_id"), table_name="signboard")
    op.drop_geospatial_index(
        "idx_signboard_geom", table_name="signboard", postgresql_using="gist", column_name="geom"
    )
    op.drop_table("signboard")
    op.drop_table("river_archive")
