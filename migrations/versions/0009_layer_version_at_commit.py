"""layer versions bump at commit, not at the first write; a ``registry`` layer for the river list

Revision ID: 0009
Revises: 0008

0008 bumped a layer's version with a statement trigger at the first write, so the
``layer_version`` row stayed locked until the transaction ended. Every patrol upload writes
``patrol`` before matching the track, so 50 concurrent uploads queued one behind the other on
the ``segments`` row for the whole matching (issue 9's load test), each holding a worker thread
and a connection while it waited.

Now the bump is a deferred constraint trigger: it runs at COMMIT, once per layer per
transaction (a transaction-local setting remembers which layers it already bumped), so the row
is locked only for the commit itself. The guarantees of 0008 hold: the new version becomes
visible together with the data (same transaction), versions follow commit order (the row lock
still serialises the bumps), and a rolled-back change bumps nothing. TRUNCATE cannot fire a
constraint trigger, so it keeps a statement trigger.

The ``registry`` layer versions the river list and the map's river lines (rivers, segments,
areas, officials, assignments, liaison units): the read cache keys on it.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: As in 0008 (what downgrade restores).
OLD_LAYER_TABLES: dict[str, tuple[str, ...]] = {
    "segments": ("segment", "river", "patrol", "patrol_coverage"),
    "areas": ("admin_area",),
    "problems": ("problem", "river"),
    "crossings": ("crossing", "river", "admin_area"),
}
#: Copied from service.tiles.models.LAYER_TABLES at the time of writing.
LAYER_TABLES: dict[str, tuple[str, ...]] = {
    **OLD_LAYER_TABLES,
    "registry": (
        "river",
        "segment",
        "admin_area",
        "official",
        "assignment",
        "liaison_unit",
        "department",
    ),
}

BUMP_ONCE_FUNCTION = """
CREATE OR REPLACE FUNCTION layer_version_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    -- layers this transaction already bumped, as ',a,,b,' (reset when the transaction ends)
    done text := coalesce(current_setting('riverchief.layers_bumped', true), '');
    todo text[];
BEGIN
    -- TG_ARGV: the layers that read the changed table. A deferred row trigger fires once per
    -- changed row at commit; bump each layer once per transaction.
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
BEGIN
    UPDATE layer_version
       SET version = nextval('layer_version_seq'), changed_at = clock_timestamp()
     WHERE layer = ANY (TG_ARGV);
    RETURN NULL;
END
$$
"""


def _by_table(layer_tables: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Each table and the trigger arguments naming the layers that read it."""
    by_table: dict[str, list[str]] = {}
    for layer, tables in layer_tables.items():
        for table in tables:
            by_table.setdefault(table, []).append(layer)
    return {table: ", ".join(f"'{name}'" for name in names) for table, names in by_table.items()}


def upgrade() -> None:
    op.execute(
        "INSERT INTO layer_version (layer, version) "
        "VALUES ('registry', nextval('layer_version_seq'))"
    )
    for table in _by_table(OLD_LAYER_TABLES):
        op.execute(f"DROP TRIGGER trg_{table}_layer_version ON {table}")
    op.execute(BUMP_ONCE_FUNCTION)
    for table, args in _by_table(LAYER_TABLES).items():
        op.execute(
            f"CREATE CONSTRAINT TRIGGER trg_{table}_layer_version "
            f"AFTER INSERT OR UPDATE OR DELETE ON {table} DEFERRABLE INITIALLY DEFERRED "
            f"FOR EACH ROW EXECUTE FUNCTION layer_version_bump({args})"
        )
        op.execute(
            f"CREATE TRIGGER trg_{table}_layer_version_truncate AFTER TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION layer_version_bump({args})"
        )


def downgrade() -> None:
    for table in _by_table(LAYER_TABLES):
        op.execute(f"DROP TRIGGER trg_{table}_layer_version ON {table}")
        op.execute(f"DROP TRIGGER trg_{table}_layer_version_truncate ON {table}")
    op.execute(OLD_BUMP_FUNCTION)
    for table, args in _by_table(OLD_LAYER_TABLES).items():
        op.execute(
            f"CREATE TRIGGER trg_{table}_layer_version "
            f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION layer_version_bump({args})"
        )
    op.execute("DELETE FROM layer_version WHERE layer = 'registry'")
