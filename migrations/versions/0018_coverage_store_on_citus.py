"""issue 23: the coverage store's refresh reads the intervals in one distributable statement

Revision ID: 0018
Revises: 0017

On a Citus coordinator ``patrol`` and ``patrol_coverage`` are distributed by region while the
coverage store stays on the coordinator (its multirange columns cannot be created on the
workers). The refresh functions of migration 0016 read the intervals of counted patrols in
the same statement that merges them into ``fracrange`` multiranges and writes the store:
Citus would have to ship the range type to the workers and mix distributed reads with local
writes in one plan. Now each reads them through a function of its own,
``coverage_counted_intervals`` / ``coverage_counted_patrols``, whose one query is a
co-located join (patrol to its intervals on ``region_code`` and ``id``) that returns plain
arrays; the merge and the writes run where the store is. The bump of the segments' tile
versions filters segments by key (a join with the reference table inserted nothing on Citus).
Same answers on one PostGIS (docs/scaling.md, "Schema changes for Citus").
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNCTIONS = r"""
-- The intervals of counted (valid, not voided) patrols at the given (segment, day) pairs.
-- The distributed read filters by the distinct segments and days (small arrays, shipped to
-- every shard) and returns arrays; the exact pairs are picked here.
CREATE OR REPLACE FUNCTION coverage_counted_intervals(p_segs int[], p_days date[])
RETURNS TABLE (segment_id int, day date, start_frac float8, end_frac float8)
LANGUAGE plpgsql AS $$
DECLARE
    u_segs int[] := array(SELECT DISTINCT s FROM unnest(p_segs) AS s WHERE s IS NOT NULL);
    u_days date[] := array(SELECT DISTINCT d FROM unnest(p_days) AS d WHERE d IS NOT NULL);
    a_seg int[];
    a_day date[];
    a_lo float8[];
    a_hi float8[];
BEGIN
    SELECT array_agg(pc.segment_id), array_agg(p.patrol_date),
           array_agg(pc.start_frac), array_agg(pc.end_frac)
      INTO a_seg, a_day, a_lo, a_hi
    FROM patrol_coverage pc
    JOIN patrol p ON p.id = pc.patrol_id AND p.region_code = pc.region_code
    WHERE p.valid AND p.voided_at IS NULL
      AND pc.segment_id IN (SELECT unnest(u_segs))
      AND p.patrol_date IN (SELECT unnest(u_days));
    RETURN QUERY
    SELECT r.s, r.d, r.lo, r.hi
    FROM unnest(a_seg, a_day, a_lo, a_hi) AS r(s, d, lo, hi)
    WHERE (r.s, r.d) IN (SELECT * FROM unnest(p_segs, p_days));
END
$$;

-- Per river and day, the number of counted patrols that covered some of the river (every
-- pair of the two lists). The distributed read returns (river, day, patrol) as arrays; the
-- distinct count runs here (a patrol's intervals live on one shard, but Citus cannot know).
CREATE OR REPLACE FUNCTION coverage_counted_patrols(p_rivers int[], p_days date[])
RETURNS TABLE (river_id int, day date, patrols bigint)
LANGUAGE plpgsql AS $$
DECLARE
    a_river int[];
    a_day date[];
    a_id int[];
BEGIN
    SELECT array_agg(s.river_id), array_agg(p.patrol_date), array_agg(p.id)
      INTO a_river, a_day, a_id
    FROM patrol p
    JOIN patrol_coverage pc ON pc.patrol_id = p.id AND pc.region_code = p.region_code
    JOIN segment s ON s.id = pc.segment_id
    WHERE p.valid AND p.voided_at IS NULL
      AND p.patrol_date IN (SELECT unnest(p_days))
      AND s.river_id IN (SELECT unnest(p_rivers));
    RETURN QUERY
    SELECT r.rv, r.d, count(DISTINCT r.id)
    FROM unnest(a_river, a_day, a_id) AS r(rv, d, id)
    GROUP BY r.rv, r.d;
END
$$;
"""

#: Parts of migration 0016's refresh functions, and what replaces them.
SEGMENT_READ = (
    """        SELECT pc.segment_id, p.patrol_date AS day,
               range_agg(fracrange(pc.start_frac, pc.end_frac)) AS covered
        FROM patrol_coverage pc
        JOIN patrol p ON p.id = pc.patrol_id
        WHERE p.valid AND p.voided_at IS NULL
          AND (pc.segment_id, p.patrol_date) IN
              (SELECT * FROM unnest(v_segs, v_days) AS k(segment_id, day))
        GROUP BY pc.segment_id, p.patrol_date""",
    """        SELECT i.segment_id, i.day,
               range_agg(fracrange(i.start_frac, i.end_frac)) AS covered
        FROM coverage_counted_intervals(v_segs, v_days) AS i
        GROUP BY i.segment_id, i.day""",
)
#: The bump of the segments' tile versions: on Citus an INSERT ... SELECT that joins the
#: ``segment`` reference table and calls nextval() inserted nothing (Citus 13.0.5); the
#: segments are filtered by key instead.
VERSION_BUMP = (
    """    SELECT k.segment_id, nextval('layer_version_seq')
    FROM (SELECT DISTINCT segment_id FROM unnest(v_segs, v_days) AS ck(segment_id, day)) AS k
    JOIN segment s ON s.id = k.segment_id""",
    """    SELECT s.id, nextval('layer_version_seq')
    FROM segment s
    WHERE s.id = ANY(v_segs)""",
)
RIVER_READ = (
    """        SELECT s.river_id, p.patrol_date AS day, count(DISTINCT p.id) AS patrols
        FROM patrol p
        JOIN patrol_coverage pc ON pc.patrol_id = p.id
        JOIN segment s ON s.id = pc.segment_id
        WHERE p.patrol_date = ANY(p_days) AND p.valid AND p.voided_at IS NULL
          AND s.river_id = ANY(p_rivers)
        GROUP BY s.river_id, p.patrol_date""",
    """        SELECT * FROM coverage_counted_patrols(p_rivers, p_days)""",
)


def _store_migration() -> ModuleType:
    """Migration 0016 (a file of this folder, not a package): its function texts."""
    path = Path(__file__).with_name("0016_coverage_store.py")
    spec = importlib.util.spec_from_file_location("riverchief_migration_0016", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _replaced(function: str, *changes: tuple[str, str]) -> str:
    for old, new in changes:
        assert old in function, "migration 0016's refresh function is not the one expected"
        function = function.replace(old, new)
    return function


def upgrade() -> None:
    store = _store_migration()
    op.execute(FUNCTIONS)
    op.execute(_replaced(store.REFRESH_FUNCTION, SEGMENT_READ, VERSION_BUMP))
    op.execute(_replaced(store.REFRESH_RIVERS_FUNCTION, RIVER_READ))


def downgrade() -> None:
    store = _store_migration()
    op.execute(store.REFRESH_FUNCTION)
    op.execute(store.REFRESH_RIVERS_FUNCTION)
    op.execute("DROP FUNCTION coverage_counted_patrols(int[], date[])")
    op.execute("DROP FUNCTION coverage_counted_intervals(int[], date[])")
