"""issue 23: schema changes so the same code runs on one PostGIS and on Citus

Revision ID: 0017
Revises: 0016

Each change and its reason is listed in docs/scaling.md ("Schema changes for Citus"). In short:

- ``region_code`` (the city code, 6 characters) on every table Citus distributes: patrols,
  their uploads and covered intervals, problems, their photos and the workflow history. It is
  filled on write (the models' defaults, ``service/sql`` inserts) through the SQL functions
  made here, so a row can be routed to its shard before it is written. Existing rows are
  backfilled. The keys stay as they are on one PostGIS; ``riverchief db distribute`` puts
  ``region_code`` into them on Citus.
- Per-region layer versions: ``layer_version_region (layer, region_code)``. The row
  triggers on problems (no longer deferred: Citus does not pass SET CONSTRAINTS on to the
  workers) bump their region's row instead of the
  one ``layer_version`` row: on Citus the trigger runs on the worker holding the shard and can
  reach only co-located shards (the region's row of ``layer_version_region``, distributed
  like the patrols), never a row on another node; on one PostGIS it also stops every upload
  of the province from taking the same row lock. ``layer_version_now`` (a view) is
  what readers read: a layer's version plus the sum of its regional versions, so it still
  moves on every change of any region and never goes back.
- The bump of the reference tables' layers (rivers, segments, areas, the roster) skips the
  nodes that do not hold ``layer_version`` (Citus workers, where each reference table has a
  copy whose trigger fires too); the coordinator's copy bumps it once.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Distributed tables and how existing rows learn their region (in this order).
REGION_BACKFILL: dict[str, str] = {
    "patrol": "UPDATE patrol SET region_code = region_of_chief(chief_id)",
    "patrol_upload": (
        "UPDATE patrol_upload u SET region_code = coalesce("
        "(SELECT min(p.region_code) FROM patrol p WHERE p.upload_sha256 = u.sha256), "
        "home_region())"
    ),
    "patrol_coverage": (
        "UPDATE patrol_coverage c SET region_code = p.region_code FROM patrol p "
        "WHERE p.id = c.patrol_id"
    ),
    "problem": "UPDATE problem SET region_code = region_of_county(county_code)",
    "problem_photo": (
        "UPDATE problem_photo f SET region_code = p.region_code FROM problem p "
        "WHERE p.id = f.problem_id"
    ),
    "workflow_event": (
        "UPDATE workflow_event SET region_code = region_of_entity(entity_type, entity_id)"
    ),
}

#: Tables whose layers are bumped per region (row triggers on their shards).
#: (Patrols and their intervals move no layer since 0016: the coverage store's tables move
#: ``coverage`` and each segment's ``coverage_segment_version``.)
REGIONAL_LAYER_TABLES: dict[str, str] = {"problem": "'problems'"}

FUNCTIONS = """
-- The region of a county, township or village code: its city (first four digits + '00').
CREATE OR REPLACE FUNCTION region_of_county(code text) RETURNS varchar
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT left(code, 4) || '00' $$;

-- The city this deployment serves (its focus city); '000000' before any area is loaded.
CREATE OR REPLACE FUNCTION home_region() RETURNS varchar
LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT code FROM admin_area WHERE role = 'focus_city'
                      ORDER BY code LIMIT 1), '000000')
$$;

-- A chief's region: the city of their latest assignment with a county, else the home city.
-- PL/pgSQL, not SQL: Citus refuses a parameter inside an inlined SQL function's query.
CREATE OR REPLACE FUNCTION region_of_chief(official integer) RETURNS varchar
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN coalesce((SELECT region_of_county(a.county_code) FROM assignment a
                      WHERE a.official_id = official AND a.county_code IS NOT NULL
                      ORDER BY a.valid_from DESC, a.id DESC LIMIT 1), home_region());
END
$$;
"""

#: After problem.region_code exists (SQL function bodies are checked when created).
ENTITY_FUNCTION = """
-- A workflow entity's region: a problem's own; other entities (decided items, documents,
-- public reports) belong to the home city.
CREATE OR REPLACE FUNCTION region_of_entity(kind text, entity integer) RETURNS varchar
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN coalesce(CASE WHEN kind = 'problem'
                         THEN (SELECT region_code FROM problem WHERE id = entity) END,
                    home_region());
END
$$;
"""

BUMP_FUNCTION = """
CREATE OR REPLACE FUNCTION layer_version_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    -- layers this transaction already bumped, as ',a,,b,' (reset when the transaction ends)
    done text := coalesce(current_setting('riverchief.layers_bumped', true), '');
    todo text[];
BEGIN
    -- On a Citus worker (a copy of a reference table) there is no layer_version: the
    -- coordinator's copy bumps it.
    IF to_regclass('layer_version') IS NULL THEN
        RETURN NULL;
    END IF;
    SELECT array_agg(l) INTO todo FROM unnest(TG_ARGV) AS l
     WHERE position(',' || l || ',' IN done) = 0;
    IF todo IS NOT NULL THEN
        UPDATE layer_version
           SET version = nextval('layer_version_seq'), changed_at = clock_timestamp()
         WHERE layer = ANY (todo);
        PERFORM set_config('riverchief.layers_bumped',
                           done || ',' || array_to_string(todo, ',,') || ',', true);
    END IF;
    RETURN NULL;
END
$$
"""

OLD_BUMP_FUNCTION = """
CREATE OR REPLACE FUNCTION layer_version_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    done text := coalesce(current_setting('riverchief.layers_bumped', true), '');
    todo text[];
BEGIN
    SELECT array_agg(l) INTO todo FROM unnest(TG_ARGV) AS l
     WHERE position(',' || l || ',' IN done) = 0;
    IF todo IS NOT NULL THEN
        UPDATE layer_version
           SET version = nextval('layer_version_seq'), changed_at = clock_timestamp()
         WHERE layer = ANY (todo);
        PERFORM set_config('riverchief.layers_bumped',
                           done || ',' || array_to_string(todo, ',,') || ',', true);
    END IF;
    RETURN NULL;
END
$$
"""

REGION_BUMP_FUNCTION = """
CREATE OR REPLACE FUNCTION layer_version_region_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    region varchar := CASE WHEN TG_OP = 'DELETE' THEN OLD.region_code ELSE NEW.region_code END;
    -- (layer, region) pairs this transaction already bumped, as ',a/r,,b/s,'
    done text := coalesce(current_setting('riverchief.regions_bumped', true), '');
    l text;
BEGIN
    -- A row trigger: it fires on the node holding the row's shard and writes only the same
    -- region's row (co-located with the row on Citus).
    FOREACH l IN ARRAY TG_ARGV LOOP
        CONTINUE WHEN position(',' || l || '/' || region || ',' IN done) > 0;
        INSERT INTO layer_version_region AS r (layer, region_code, version, changed_at)
        VALUES (l, region, 1, clock_timestamp())
        ON CONFLICT (region_code, layer)
        DO UPDATE SET version = r.version + 1, changed_at = excluded.changed_at;
        done := done || ',' || l || '/' || region || ',';
    END LOOP;
    PERFORM set_config('riverchief.regions_bumped', done, true);
    RETURN NULL;
END
$$
"""

VIEW = """
CREATE VIEW layer_version_now AS
SELECT v.layer, v.version + coalesce(r.version, 0) AS version
FROM layer_version v
LEFT JOIN (SELECT layer, sum(version)::bigint AS version
             FROM layer_version_region GROUP BY layer) r ON r.layer = v.layer
"""


def upgrade() -> None:
    op.execute(FUNCTIONS)
    op.create_table(
        "layer_version_region",
        sa.Column("layer", sa.String(length=32), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column(
            "changed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("region_code", "layer"),
    )
    for table, backfill in REGION_BACKFILL.items():
        if table == "workflow_event":
            op.execute(ENTITY_FUNCTION)
        op.add_column(table, sa.Column("region_code", sa.String(length=6), nullable=True))
        op.execute(backfill)
        op.execute(f"UPDATE {table} SET region_code = home_region() WHERE region_code IS NULL")
        op.alter_column(table, "region_code", nullable=False)
    op.execute(BUMP_FUNCTION)
    op.execute(REGION_BUMP_FUNCTION)
    for table, layers in REGIONAL_LAYER_TABLES.items():
        op.execute(f"DROP TRIGGER trg_{table}_layer_version ON {table}")
        # Not deferred: Citus does not pass SET CONSTRAINTS ALL IMMEDIATE on to the workers,
        # so a request that wrote a problem would read the old version (tiles.layer_version).
        # The region's row is then locked from the write to the commit: only writers of
        # problems in the same city wait for each other.
        op.execute(
            f"CREATE TRIGGER trg_{table}_layer_version "
            f"AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION layer_version_region_bump({layers})"
        )
    op.execute(VIEW)


def downgrade() -> None:
    op.execute("DROP VIEW layer_version_now")
    for table, layers in REGIONAL_LAYER_TABLES.items():
        op.execute(f"DROP TRIGGER trg_{table}_layer_version ON {table}")
        op.execute(
            f"CREATE CONSTRAINT TRIGGER trg_{table}_layer_version "
            f"AFTER INSERT OR UPDATE OR DELETE ON {table} DEFERRABLE INITIALLY DEFERRED "
            f"FOR EACH ROW EXECUTE FUNCTION layer_version_bump({layers})"
        )
    op.execute("DROP FUNCTION layer_version_region_bump()")
    op.execute(OLD_BUMP_FUNCTION)
    for table in reversed(REGION_BACKFILL):
        op.drop_column(table, "region_code")
    op.drop_table("layer_version_region")
    for fn in (
        "region_of_entity(text, integer)",
        "region_of_chief(integer)",
        "home_region()",
        "region_of_county(text)",
    ):
        op.execute(f"DROP FUNCTION {fn}")
