"""foundation: areas, rivers, segments, roster, accounts

Revision ID: 0001
Revises:
Create Date: 2026-11-29 06:16:11.204211
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.create_geospatial_table(
        "admin_area",
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("parent_code", sa.String(length=12), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("area_km2", sa.Float(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="MULTIPOLYGON",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.CheckConstraint("level IN ('city', 'county')", name="ck_admin_area_level"),
        sa.CheckConstraint(
            "role IN ('focus_city', 'focus_county', 'neighbor_city', 'neighbor_county')",
            name="ck_admin_area_role",
        ),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_geospatial_index(
        "idx_admin_area_geom",
        "admin_area",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_index(op.f("ix_admin_area_role"), "admin_area", ["role"], unique=False)
    op.create_table(
        "department",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), server_default="false", nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "liaison_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("is_demo", sa.Boolean(), server_default="false", nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "official",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("is_demo", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_geospatial_table(
        "river",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=True),
        sa.Column("code", sa.String(length=32), nullable=True),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("class", sa.String(length=16), nullable=False),
        sa.Column("positional_accuracy_m", sa.Float(), nullable=False),
        sa.Column("patrol_tolerance_m", sa.Float(), nullable=False),
        sa.Column("source_id", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column(
            "geom",
            Geometry(
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("kind IN ('river', 'lake', 'reservoir')", name="ck_river_kind"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
        sa.UniqueConstraint("name"),
    )
    op.create_geospatial_index(
        "idx_river_geom",
        "river",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_geospatial_table(
        "segment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("river_id", sa.Integer(), nullable=False),
        sa.Column("county_code", sa.String(length=12), nullable=False),
        sa.Column("ord", sa.Integer(), nullable=False),
        sa.Column("length_m", sa.Float(), nullable=False),
        sa.Column(
            "geom",
            Geometry(
                geometry_type="LINESTRING",
                srid=4326,
                dimension=2,
                spatial_index=False,
                from_text="ST_GeomFromEWKT",
                name="geometry",
                nullable=False,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["county_code"],
            ["admin_area.code"],
        ),
        sa.ForeignKeyConstraint(["river_id"], ["river.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("river_id", "ord", name="uq_segment_river_ord"),
    )
    op.create_geospatial_index(
        "idx_segment_geom",
        "segment",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    op.create_index(op.f("ix_segment_county_code"), "segment", ["county_code"], unique=False)
    op.create_index(op.f("ix_segment_river_id"), "segment", ["river_id"], unique=False)
    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=True),
        sa.Column("liaison_unit_id", sa.Integer(), nullable=True),
        sa.Column("county_code", sa.String(length=12), nullable=True),
        sa.Column("neighbor_code", sa.String(length=12), nullable=True),
        sa.Column("disabled", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("token_version", sa.Integer(), server_default="0", nullable=False),
        sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "role IN ('office', 'chief', 'liaison', 'county', 'patrol', 'neighbor_viewer')",
            name="ck_user_account_role",
        ),
        sa.ForeignKeyConstraint(
            ["liaison_unit_id"],
            ["liaison_unit.id"],
        ),
        sa.ForeignKeyConstraint(
            ["official_id"],
            ["official.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("river_id", sa.Integer(), nullable=True),
        sa.Column("segment_id", sa.Integer(), nullable=True),
        sa.Column("official_id", sa.Integer(), nullable=True),
        sa.Column("liaison_unit_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=24), nullable=False),
        sa.Column("level", sa.String(length=12), nullable=True),
        sa.Column("county_code", sa.String(length=12), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("is_demo", sa.Boolean(), server_default="false", nullable=False),
        sa.CheckConstraint(
            "(role = 'liaison_unit') = (liaison_unit_id IS NOT NULL)", name="ck_assignment_unit"
        ),
        sa.CheckConstraint(
            "role <> 'river_chief' OR level IN ('city', 'county', 'township', 'village')",
            name="ck_assignment_level",
        ),
        sa.CheckConstraint(
            "role IN ('general_chief', 'deputy_general_chief') OR river_id IS NOT NULL",
            name="ck_assignment_river",
        ),
        sa.CheckConstraint(
            "role IN ('general_chief', 'deputy_general_chief', 'river_chief', 'liaison_unit')",
            name="ck_assignment_role",
        ),
        sa.CheckConstraint(
            "(official_id IS NULL) <> (liaison_unit_id IS NULL)", name="ck_assignment_holder"
        ),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from", name="ck_assignment_dates"
        ),
        sa.ForeignKeyConstraint(
            ["liaison_unit_id"],
            ["liaison_unit.id"],
        ),
        sa.ForeignKeyConstraint(
            ["official_id"],
            ["official.id"],
        ),
        sa.ForeignKeyConstraint(["river_id"], ["river.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["segment_id"], ["segment.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_assignment_liaison_unit_id"), "assignment", ["liaison_unit_id"], unique=False
    )
    op.create_index(op.f("ix_assignment_official_id"), "assignment", ["official_id"], unique=False)
    op.create_index(op.f("ix_assignment_river_id"), "assignment", ["river_id"], unique=False)
    # ### end Alembic commands ###


def downgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    op.drop_index(op.f("ix_assignment_river_id"), table_name="assignment")
    op.drop_index(op.f("ix_assignment_official_id"), table_name="assignment")
    op.drop_index(op.f("ix_assignment_liaison_unit_id"), table_name="assignment")
    op.drop_table("assignment")
    op.drop_table("user_account")
    op.drop_index(op.f("ix_segment_river_id"), table_name="segment")
    op.drop_index(op.f("ix_segment_county_code"), table_name="segment")
    op.drop_geospatial_index(
        "idx_segment_geom", table_name="segment", postgresql_using="gist", column_name="geom"
    )
    op.drop_geospatial_table("segment")
    op.drop_geospatial_index(
        "idx_river_geom", table_name="river", postgresql_using="gist", column_name="geom"
    )
    op.drop_geospatial_table("river")
    op.drop_table("official")
    op.drop_table("liaison_unit")
    op.drop_table("department")
    op.drop_index(op.f("ix_admin_area_role"), table_name="admin_area")
    op.drop_geospatial_index(
        "idx_admin_area_geom", table_name="admin_area", postgresql_using="gist", column_name="geom"
    )
    op.drop_geospatial_table("admin_area")
    # ### end Alembic commands ###
