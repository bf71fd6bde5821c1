"""tiles: a data version per map layer, bumped by statement triggers on the layer's tables

Revision ID: 0008
Revises: 0007

The tile cache and the tiles' ETags key on ``layer_version.version``. Every INSERT, UPDATE,
DELETE or TRUNCATE on a table a layer reads sets that layer's version to the next value of
``layer_version_seq`` inside the same transaction, so the new version becomes visible exactly
when the new data does, and a rolled-back change never hands its number to other data.
Tables of later issues that do not exist yet are skipped (the trigger is added by the
migration that follows them, or by re-running ``attach`` below).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Copied from service.tiles.models.LAYER_TABLES at the time of writing (migrations must not
#: change when the code does).
LAYER_TABLES: dict[str, tuple[str, ...]] = {
    "segments": ("segment", "river", "patrol", "patrol_coverage"),
    "areas": ("admin_area",),
    "problems": ("problem", "river"),
    "crossings": ("crossing", "river", "admin_area"),
}

BUMP_FUNCTION = """
CREATE OR REPLACE FUNCTION layer_version_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- TG_ARGV: the layers that read the changed table
    UPDATE layer_version
       SET version = nextval('layer_version_seq'), changed_at = clock_timestamp()
     WHERE layer = ANY (TG_ARGV);
    RETURN NULL;
END
$$
"""


def _layers_by_table() -> dict[str, list[str]]:
    by_table: dict[str, list[str]] = {}
    for layer, tables in LAYER_TABLES.items():
        for table in tables:
            by_table.setdefault(table, []).append(layer)
    return by_table


def upgrade() -> None:
    op.create_table(
        "layer_version",
        sa.Column("layer", sa.String(length=32), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column(
            "changed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("layer"),
    )
    op.execute("CREATE SEQUENCE layer_version_seq")
    for layer in LAYER_TABLES:
        op.execute(
            f"INSERT INTO layer_version (layer, version) "
            f"VALUES ('{layer}', nextval('layer_version_seq'))"
        )
    op.execute(BUMP_FUNCTION)
    for table, layers in _layers_by_table().items():
        args = ", ".join(f"'{layer}'" for layer in layers)
        op.execute(
            f"""
            DO $$ BEGIN
              IF to_regclass('{table}') IS NOT NULL THEN
                CREATE TRIGGER trg_{table}_layer_version
                AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION layer_version_bump({args});
              END IF;
            END $$
            """
        )


def downgrade() -> None:
    for table in _layers_by_table():
        op.execute(
            f"DO $$ BEGIN IF to_regclass('{table}') IS NOT NULL THEN "
            f"DROP TRIGGER IF EXISTS trg_{table}_layer_version ON {table}; END IF; END $$"
        )
    op.execute("DROP FUNCTION IF EXISTS layer_version_bump()")
    op.drop_table("layer_version")
    op.execute("DROP SEQUENCE IF EXISTS layer_version_seq")
