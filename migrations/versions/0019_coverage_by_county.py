"""issue 22: a city's or county's coverage from a per-county roll-up, not from its segments

Revision ID: 0019
Revises: 0018

A city's year read its segments' stored shares one by one (3,552 index probes for the
busiest city of the province: 15-70 ms depending on the machine's load, against a target of
20 ms). Now the store also keeps, per county, river and period, the covered metres of the
river's segments in the county: a city's or county's period of one piece reads one row per
(county, river) it holds. The roll-up follows ``coverage_river_period`` by statement
triggers on that table (on the coordinator on Citus too, where the store lives): a river's
period rows are written after its segments' rows, so a row inserted there recomputes the
same (river, period) per county, and a row deleted there deletes them.

The rivers' lengths in a county come from ``segment`` through an index on the county code
for prefix matches (``text_pattern_ops``: the database collation is not C), covering the
columns the read needs.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLLUP_FUNCTIONS = r"""
-- The transition tables are read into arrays first: Citus cannot plan a join of a
-- transition table with the segment reference table ("unrecognized RTE kind").
CREATE FUNCTION coverage_counties_on_rivers_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_rivers int[];
    v_grains char(1)[];
    v_starts date[];
BEGIN
    SELECT array_agg(river_id), array_agg(grain), array_agg(period_start)
      INTO v_rivers, v_grains, v_starts
    FROM new_rows;
    INSERT INTO coverage_county_river_period
        (county_code, river_id, grain, period_start, covered_m)
    SELECT s.county_code, s.river_id, c.grain, c.period_start, sum(c.covered_frac * s.length_m)
    FROM unnest(v_rivers, v_grains, v_starts) AS n(river_id, grain, period_start)
    JOIN segment s ON s.river_id = n.river_id
    JOIN coverage_segment_period c
      ON c.segment_id = s.id AND c.grain = n.grain AND c.period_start = n.period_start
    GROUP BY s.county_code, s.river_id, c.grain, c.period_start
    ON CONFLICT (grain, period_start, county_code, river_id)
    DO UPDATE SET covered_m = EXCLUDED.covered_m;
    RETURN NULL;
END
$$;

CREATE FUNCTION coverage_counties_on_rivers_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_rivers int[];
    v_grains char(1)[];
    v_starts date[];
BEGIN
    SELECT array_agg(river_id), array_agg(grain), array_agg(period_start)
      INTO v_rivers, v_grains, v_starts
    FROM old_rows;
    DELETE FROM coverage_county_river_period k
    USING unnest(v_rivers, v_grains, v_starts) AS o(river_id, grain, period_start)
    WHERE k.river_id = o.river_id AND k.grain = o.grain AND k.period_start = o.period_start;
    RETURN NULL;
END
$$;

CREATE FUNCTION coverage_counties_on_rivers_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM coverage_county_river_period;
    RETURN NULL;
END
$$;
"""

#: (table, event, transition, function)
TRIGGERS = (
    ("INSERT", "REFERENCING NEW TABLE AS new_rows", "coverage_counties_on_rivers_insert"),
    ("DELETE", "REFERENCING OLD TABLE AS old_rows", "coverage_counties_on_rivers_delete"),
    ("TRUNCATE", "", "coverage_counties_on_rivers_truncate"),
)


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE coverage_county_river_period (
            county_code varchar(12) NOT NULL,
            river_id int NOT NULL REFERENCES river(id) ON DELETE CASCADE,
            grain char(1) NOT NULL CHECK (grain IN ('d', 'm', 'y')),
            period_start date NOT NULL,
            covered_m float8 NOT NULL,
            PRIMARY KEY (grain, period_start, county_code, river_id)
        )
        """
    )
    op.execute(
        "CREATE INDEX ix_coverage_county_river_period_river ON coverage_county_river_period "
        "(river_id, grain, period_start)"
    )
    op.execute(
        "CREATE INDEX ix_segment_county_prefix ON segment (county_code text_pattern_ops) "
        "INCLUDE (id, river_id, length_m)"
    )
    op.execute(ROLLUP_FUNCTIONS)
    for event, transition, function in TRIGGERS:
        op.execute(
            f"CREATE TRIGGER trg_{function} AFTER {event} ON coverage_river_period "
            f"{transition} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )
    # Fill it from the stored rivers' rows (an UPDATE re-inserts nothing: recompute directly).
    op.execute(
        "INSERT INTO coverage_county_river_period "
        "(county_code, river_id, grain, period_start, covered_m) "
        "SELECT s.county_code, s.river_id, c.grain, c.period_start, "
        "sum(c.covered_frac * s.length_m) "
        "FROM coverage_river_period r JOIN segment s ON s.river_id = r.river_id "
        "JOIN coverage_segment_period c ON c.segment_id = s.id AND c.grain = r.grain "
        "AND c.period_start = r.period_start "
        "GROUP BY s.county_code, s.river_id, c.grain, c.period_start"
    )


def downgrade() -> None:
    for _event, _transition, function in TRIGGERS:
        op.execute(f"DROP TRIGGER trg_{function} ON coverage_river_period")
        op.execute(f"DROP FUNCTION {function}()")
    op.execute("DROP INDEX ix_segment_county_prefix")
    op.execute("DROP TABLE coverage_county_river_period")
