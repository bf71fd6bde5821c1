"""issue 20: monitoring sections and water-quality readings

Revision ID: 0014
Revises: 0013

Tables ``section`` (监测断面: the point, where it lies along its river, target class, the
crossing and counties), ``section_reading_import``, ``section_reading`` (values per parameter
and their GB 3838-2002 class) and ``section_exceedance`` (months worse than target and the
problem each opened or supervised); ``problem.supervised_at`` (督办). A ``sections`` map layer
versioned like the others (deferred triggers of migration 0009) on ``section`` and
``section_reading``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LAYER = "sections"
LAYER_TABLES = ("section", "section_reading")


def _point() -> Geometry:
    # The GiST index of ``geom`` is made below (create_geospatial_index), as in 0007.
    return Geometry(
        geometry_type="POINT",
        srid=4326,
        dimension=2,
        spatial_index=False,
        from_text="ST_GeomFromEWKT",
        name="geometry",
        nullable=False,
    )


def _audit_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("is_synthetic", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
    ]


def upgrade() -> None:
    op.create_geospatial_table(
        "section",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("river_id", sa.Integer(), nullable=False),
        sa.Column("geom", _point(), nullable=False),
        sa.Column("snapped_geom", _point(), nullable=False),
        sa.Column("measure_m", sa.Float(), nullable=False),
        sa.Column("snap_distance_m", sa.Float(), nullable=False),
        sa.Column("target_class", sa.Integer(), nullable=False),
        sa.Column("operator", sa.Text(), nullable=True),
        sa.Column("neighbor_code", sa.String(length=12), nullable=True),
        sa.Column("direction", sa.String(length=8), nullable=True),
        sa.Column("upstream_county_code", sa.String(length=12), nullable=True),
        sa.Column("downstream_county_code", sa.String(length=12), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        *_audit_columns(),
        sa.CheckConstraint(
            "direction IS NULL OR direction IN ('inflow', 'outflow')", name="ck_section_direction"
        ),
        sa.CheckConstraint(
            "kind <> 'border' OR neighbor_code IS NOT NULL", name="ck_section_border"
        ),
        sa.CheckConstraint(
            "kind IN ('national', 'provincial', 'city', 'county', 'border')",
            name="ck_section_kind",
        ),
        sa.CheckConstraint(
            "(direction IS NULL) = (neighbor_code IS NULL)", name="ck_section_neighbor"
        ),
        sa.CheckConstraint("measure_m >= 0 AND snap_distance_m >= 0", name="ck_section_measure"),
        sa.CheckConstraint("target_class BETWEEN 1 AND 5", name="ck_section_target_class"),
        sa.ForeignKeyConstraint(["created_by"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["downstream_county_code"], ["admin_area.code"]),
        sa.ForeignKeyConstraint(["neighbor_code"], ["admin_area.code"]),
        sa.ForeignKeyConstraint(["river_id"], ["river.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["upstream_county_code"], ["admin_area.code"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_geospatial_index(
        "idx_section_geom",
        "section",
        ["geom"],
        unique=False,
        postgresql_using="gist",
        postgresql_ops={},
    )
    for column in ("kind", "neighbor_code", "river_id"):
        op.create_index(op.f(f"ix_section_{column}"), "section", [column])
    op.create_table(
        "section_reading_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("file_format", sa.String(length=8), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("imported_by", sa.Integer(), nullable=True),
        sa.Column(
            "imported_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["imported_by"], ["user_account.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_section_reading_import_sha256"), "section_reading_import", ["sha256"])
    codes = postgresql.ARRAY(sa.String(length=8))
    op.create_table(
        "section_reading",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("sampled_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        *[
            sa.Column(c, sa.Float(), nullable=True)
            for c in ("do", "codmn", "cod", "bod5", "nh3n", "tp", "tn", "ph")
        ],
        sa.Column("below_detection", codes, server_default="{}", nullable=False),
        sa.Column("water_class", sa.Integer(), nullable=True),
        sa.Column("worst_parameters", codes, server_default="{}", nullable=False),
        sa.Column("ph_in_range", sa.Boolean(), nullable=True),
        sa.Column("target_met", sa.Boolean(), nullable=True),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("entered_by", sa.Integer(), nullable=True),
        *_audit_columns(),
        sa.CheckConstraint("kind IN ('monthly', 'adhoc')", name="ck_section_reading_kind"),
        sa.CheckConstraint(
            "source IN ('import', 'manual', 'demo')", name="ck_section_reading_source"
        ),
        sa.CheckConstraint(
            'num_nonnulls("do", codmn, cod, bod5, nh3n, tp, tn, ph) > 0',
            name="ck_section_reading_values",
        ),
        sa.CheckConstraint(
            "water_class IS NULL OR water_class BETWEEN 1 AND 6", name="ck_section_reading_class"
        ),
        sa.ForeignKeyConstraint(["entered_by"], ["user_account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["import_id"], ["section_reading_import.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["section_id"], ["section.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("section_id", "sampled_on", name="uq_section_reading_day"),
    )
    op.create_index(op.f("ix_section_reading_import_id"), "section_reading", ["import_id"])
    op.create_index("ix_section_reading_sampled_on", "section_reading", ["sampled_on"])
    op.create_table(
        "section_exceedance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("water_class", sa.Integer(), nullable=False),
        sa.Column("target_class", sa.Integer(), nullable=False),
        sa.Column("worst_parameters", codes, nullable=False),
        sa.Column("problem_id", sa.Integer(), nullable=True),
        sa.Column("repeat", sa.Boolean(), nullable=False),
        *_audit_columns(),
        sa.CheckConstraint("extract(day from month) = 1", name="ck_section_exceedance_month"),
        sa.CheckConstraint("water_class > target_class", name="ck_section_exceedance_worse"),
        sa.ForeignKeyConstraint(["problem_id"], ["problem.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["section_id"], ["section.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("section_id", "month", name="uq_section_exceedance_month"),
    )
    op.create_index(op.f("ix_section_exceedance_month"), "section_exceedance", ["month"])
    op.create_index(op.f("ix_section_exceedance_problem_id"), "section_exceedance", ["problem_id"])
    op.add_column("problem", sa.Column("supervised_at", sa.DateTime(timezone=True), nullable=True))
    # The map layer of sections: versioned at commit like every layer (migration 0009).
    op.execute(
        "INSERT INTO layer_version (layer, version) "
        f"VALUES ('{LAYER}', nextval('layer_version_seq'))"
    )
    for table in LAYER_TABLES:
        op.execute(
            f"CREATE CONSTRAINT TRIGGER trg_{table}_layer_version "
            f"AFTER INSERT OR UPDATE OR DELETE ON {table} DEFERRABLE INITIALLY DEFERRED "
            f"FOR EACH ROW EXECUTE FUNCTION layer_version_bump('{LAYER}')"
        )
        op.execute(
            f"CREATE TRIGGER trg_{table}_layer_version_truncate AFTER TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION layer_version_bump('{LAYER}')"
        )


def downgrade() -> None:
    op.execute(f"DELETE FROM layer_version WHERE layer = '{LAYER}'")
    op.drop_column("problem", "supervised_at")
    op.drop_table("section_exceedance")
    op.drop_table("section_reading")
    op.drop_table("section_reading_import")
    op.drop_geospatial_table("section")
