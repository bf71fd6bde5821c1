"""cross_boundary: crossings, shared borders, cooperation agreements

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _geometry(kind: str, nullable: bool) -> Geometry:
    # The spatial index is created explicitly below (as in 0001), not by the column type.
    return Geometry(
        geometry_type=kind,
        srid=4326,
        dimension=2,
        spatial_index=False,
        from_text="ST_GeomFromEWKT",
        name="geometry",
        nullable=nullable,
    )


def upgrade() -> None:
    op.create_table(
        "cooperation_agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("document_no", sa.Text(), nullable=True),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("meeting_interval_months", sa.Integer(), server_default="12", nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("is_synthetic", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "agreement_party",
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("city_code", sa.String(length=12), nullable=False),
        sa.Column("rotation_order", sa.Integer(), nullable=False),
        sa.CheckConstraint("rotation_order >= 1", name="ck_agreement_party_order"),
        sa.ForeignKeyConstraint(["agreement_id"], ["cooperation_agreement.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["city_code"], ["admin_area.code"]),
        sa.PrimaryKeyConstraint("agreement_id", "city_code"),
        sa.UniqueConstraint("agreement_id", "rotation_order", name="uq_agreement_party_order"),
    )
    op.create_index(
        op.f("ix_agreement_party_city_code"), "agreement_party", ["city_code"], unique=False
    )
    op.create_table(
        "agreement_river",
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("river_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["agreement_id"], ["cooperation_agreement.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["river_id"], ["river.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("agreement_id", "river_id"),
    )
    op.create_index(
        op.f("ix_agreement_river_river_id"), "agreement_river", ["river_id"], unique=False
    )
    op.create_table(
        "crossing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("river_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("city_code", sa.String(length=12), nullable=False),
        sa.Column("county_code", sa.String(length=12), nullable=True),
        sa.Column("neighbor_code", sa.String(length=12), nullable=False),
        sa.Column("neighbor_county_code", sa.String(length=12), nullable=True),
        sa.Column("length_m", sa.Float(), server_default="0", nullable=False),
        sa.Column("tolerance_m", sa.Float(), nullable=False),
        sa.Column("geom", _geometry("POINT", False), nullable=False),
        sa.Column("reach", _geometry("LINESTRING", True), nullable=True),
        sa.Column(
            "computed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "direction IN ('inflow', 'outflow', 'along')", name="ck_crossing_direction"
        ),
        sa.ForeignKeyConstraint(["city_code"], ["admin_area.code"]),
        sa.ForeignKeyConstraint(["county_code"], ["admin_area.code"]),
        sa.ForeignKeyConstraint(["neighbor_code"], ["admin_area.code"]),
        sa.ForeignKeyConstraint(["neighbor_county_code"], ["admin_area.code"]),
        sa.ForeignKeyConstraint(["river_id"], ["river.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("river_id", "seq", name="uq_crossing_river_seq"),
    )
    op.create_index(
        "idx_crossing_geom", "crossing", ["geom"], unique=False, postgresql_using="gist"
    )
    op.create_index(op.f("ix_crossing_neighbor_code"), "crossing", ["neighbor_code"])
    op.create_index(op.f("ix_crossing_river_id"), "crossing", ["river_id"])
    op.create_table(
        "shared_border",
        sa.Column("neighbor_code", sa.String(length=12), nullable=False),
        sa.Column("city_code", sa.String(length=12), nullable=False),
        sa.Column("length_m", sa.Float(), nullable=False),
        sa.Column("geom", _geometry("MULTILINESTRING", False), nullable=False),
        sa.Column(
            "computed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["city_code"], ["admin_area.code"]),
        sa.ForeignKeyConstraint(["neighbor_code"], ["admin_area.code"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("neighbor_code"),
    )
    op.create_index(
        "idx_shared_border_geom",
        "shared_border",
        ["geom"],
        unique=False,
        postgresql_using="gist",
    )


def downgrade() -> None:
    op.drop_table("shared_border")
    op.drop_table("crossing")
    op.drop_table("agreement_river")
    op.drop_table("agreement_party")
    op.drop_table("cooperation_agreement")
