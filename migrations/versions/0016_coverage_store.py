"""issue 22: merged coverage kept up to date on write

Revision ID: 0016
Revises: 0015

Coverage was the merge of every covered interval of a period on each read, so its cost grew
with the history behind it. Now, per segment and Asia/Shanghai day, the union of the covered
intervals of valid, not voided patrols is kept merged (a float8 multirange of fractions), with
a month and a year roll-up of those unions, and per river and day the number of those patrols
that covered some of it (with the same roll-ups). A period reads whole years, whole months and
the days at its ends: a province year is one row per segment.

Kept up to date by statement triggers (transition tables) on ``patrol_coverage`` (intervals
added, removed, changed) and ``patrol`` (validity, voiding, the day, deletion), so every writer
— upload, void, judging, re-cut, demo and province generators, bulk SQL — updates it in its own
transaction; ``riverchief coverage rebuild`` rebuilds it from scratch. Concurrent writers of the
same segment and year are serialised by a transaction-level advisory lock taken just before
the refresh (the refresh's statements then see the other's committed rows).

Tiles: a change of a segment's coverage bumps ``coverage_segment_version`` of that segment
only; the ``segments`` layer version no longer moves with patrols (its tables are now the
geometry's), and a new ``coverage`` layer (the store's tables) versions whole-period reads.
Everything is keyed by segment id (and river id): the region of a row is its segment's
``county_code`` city, so a per-region layer version is a max over that region's segments.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The refresh of the store for given (segment, day) keys: days, then the months and years
#: holding them, then the rivers' patrol counts. Each statement starts after the previous one,
#: so after the lock it sees what concurrent writers committed before it got the lock.
REFRESH_FUNCTION = r"""
CREATE OR REPLACE FUNCTION coverage_refresh(p_segs int[], p_days date[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_segs int[];
    v_days date[];
BEGIN
    IF p_segs IS NULL OR cardinality(p_segs) = 0 THEN
        RETURN;
    END IF;
    SELECT array_agg(k.s ORDER BY k.s, k.d), array_agg(k.d ORDER BY k.s, k.d)
      INTO v_segs, v_days
    FROM (SELECT DISTINCT s, d FROM unnest(p_segs, p_days) AS u(s, d)
          WHERE s IS NOT NULL AND d IS NOT NULL) AS k;
    IF v_segs IS NULL THEN
        RETURN;
    END IF;

    -- one writer at a time per segment and year (ordered: no deadlock between writers); a
    -- bulk refresh (rebuild, re-cut, bulk load) takes the whole store instead, which every
    -- other writer holds shared (the lock table would not hold a lock per segment)
    IF cardinality(v_segs) > 2000 THEN
        PERFORM pg_advisory_xact_lock(5927942488114331647);
    ELSE
        PERFORM pg_advisory_xact_lock_shared(5927942488114331647);
        PERFORM pg_advisory_xact_lock(5927942488114331648 + l.s::bigint * 10000 + l.y)
        FROM (SELECT DISTINCT segment_id AS s, extract(year FROM day)::int AS y
              FROM unnest(v_segs, v_days) AS ck(segment_id, day) ORDER BY 1, 2) AS l;
    END IF;

    -- days: the union of the day's intervals of counted patrols
    DELETE FROM coverage_segment_period c
    USING unnest(v_segs, v_days) AS k(segment_id, day)
    WHERE c.segment_id = k.segment_id AND c.grain = 'd' AND c.period_start = k.day;
    INSERT INTO coverage_segment_period (segment_id, grain, period_start, covered, covered_frac)
    SELECT m.segment_id, 'd', m.day, m.covered, fracmultirange_length(m.covered)
    FROM (
        SELECT pc.segment_id, p.patrol_date AS day,
               range_agg(fracrange(pc.start_frac, pc.end_frac)) AS covered
        FROM patrol_coverage pc
        JOIN patrol p ON p.id = pc.patrol_id
        WHERE p.valid AND p.voided_at IS NULL
          AND (pc.segment_id, p.patrol_date) IN
              (SELECT * FROM unnest(v_segs, v_days) AS k(segment_id, day))
        GROUP BY pc.segment_id, p.patrol_date
    ) AS m
    JOIN segment s ON s.id = m.segment_id;

    -- months, from their days
    DELETE FROM coverage_segment_period c
    USING (SELECT DISTINCT segment_id, date_trunc('month', day)::date AS m
           FROM unnest(v_segs, v_days) AS ck(segment_id, day)) k
    WHERE c.segment_id = k.segment_id AND c.grain = 'm' AND c.period_start = k.m;
    INSERT INTO coverage_segment_period (segment_id, grain, period_start, covered, covered_frac)
    SELECT g.segment_id, 'm', g.m, g.covered, fracmultirange_length(g.covered)
    FROM (
        SELECT c.segment_id, k.m, range_agg(c.covered) AS covered
        FROM (SELECT DISTINCT segment_id, date_trunc('month', day)::date AS m
              FROM unnest(v_segs, v_days) AS ck(segment_id, day)) AS k
        JOIN coverage_segment_period c
          ON c.segment_id = k.segment_id AND c.grain = 'd'
         AND c.period_start >= k.m AND c.period_start < k.m + interval '1 month'
        GROUP BY c.segment_id, k.m
    ) AS g;

    -- years, from their months
    DELETE FROM coverage_segment_period c
    USING (SELECT DISTINCT segment_id, date_trunc('year', day)::date AS y
           FROM unnest(v_segs, v_days) AS ck(segment_id, day)) k
    WHERE c.segment_id = k.segment_id AND c.grain = 'y' AND c.period_start = k.y;
    INSERT INTO coverage_segment_period (segment_id, grain, period_start, covered, covered_frac)
    SELECT g.segment_id, 'y', g.y, g.covered, fracmultirange_length(g.covered)
    FROM (
        SELECT c.segment_id, k.y, range_agg(c.covered) AS covered
        FROM (SELECT DISTINCT segment_id, date_trunc('year', day)::date AS y
              FROM unnest(v_segs, v_days) AS ck(segment_id, day)) AS k
        JOIN coverage_segment_period c
          ON c.segment_id = k.segment_id AND c.grain = 'm'
         AND c.period_start >= k.y AND c.period_start < k.y + interval '1 year'
        GROUP BY c.segment_id, k.y
    ) AS g;

    -- the tiles of these segments change (only theirs)
    INSERT INTO coverage_segment_version AS v (segment_id, version)
    SELECT k.segment_id, nextval('layer_version_seq')
    FROM (SELECT DISTINCT segment_id FROM unnest(v_segs, v_days) AS ck(segment_id, day)) AS k
    JOIN segment s ON s.id = k.segment_id
    ON CONFLICT (segment_id) DO UPDATE SET version = greatest(v.version, EXCLUDED.version);

    -- rivers: counted patrols of the day that covered some of the river
    PERFORM coverage_refresh_rivers(
        array(SELECT DISTINCT s.river_id FROM unnest(v_segs, v_days) AS k(segment_id, day)
              JOIN segment s ON s.id = k.segment_id ORDER BY 1),
        array(SELECT DISTINCT k.day FROM unnest(v_segs, v_days) AS k(segment_id, day) ORDER BY 1));
END
$$
"""

#: Patrol counts of rivers on given days (every pair of the two lists), then their months and
#: years. Locked per river and year as above.
REFRESH_RIVERS_FUNCTION = r"""
CREATE OR REPLACE FUNCTION coverage_refresh_rivers(p_rivers int[], p_days date[])
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_rivers IS NULL OR cardinality(p_rivers) = 0 OR cardinality(p_days) = 0 THEN
        RETURN;
    END IF;
    IF cardinality(p_rivers) * cardinality(p_days) > 2000 THEN
        PERFORM pg_advisory_xact_lock(5927942488114331647);  -- the whole store (see above)
    ELSE
        PERFORM pg_advisory_xact_lock_shared(5927942488114331647);
        PERFORM pg_advisory_xact_lock(6504403240417755136 + r::bigint * 10000 + y)
        FROM unnest(p_rivers) AS r
        CROSS JOIN (SELECT DISTINCT extract(year FROM d)::int AS y FROM unnest(p_days) AS d) ys
        ORDER BY r, y;
    END IF;

    DELETE FROM coverage_river_period c
    WHERE c.river_id = ANY(p_rivers) AND c.grain = 'd' AND c.period_start = ANY(p_days);
    INSERT INTO coverage_river_period (river_id, grain, period_start, patrols, covered_m)
    SELECT n.river_id, 'd', n.day, n.patrols, coalesce(m.covered_m, 0.0)
    FROM (
        SELECT s.river_id, p.patrol_date AS day, count(DISTINCT p.id) AS patrols
        FROM patrol p
        JOIN patrol_coverage pc ON pc.patrol_id = p.id
        JOIN segment s ON s.id = pc.segment_id
        WHERE p.patrol_date = ANY(p_days) AND p.valid AND p.voided_at IS NULL
          AND s.river_id = ANY(p_rivers)
        GROUP BY s.river_id, p.patrol_date
    ) AS n
    LEFT JOIN (
        SELECT s.river_id, c.period_start AS day, sum(c.covered_frac * s.length_m) AS covered_m
        FROM coverage_segment_period c
        JOIN segment s ON s.id = c.segment_id
        WHERE c.grain = 'd' AND c.period_start = ANY(p_days) AND s.river_id = ANY(p_rivers)
        GROUP BY s.river_id, c.period_start
    ) AS m ON m.river_id = n.river_id AND m.day = n.day;

    -- months and years: patrols add up (a patrol counts on one day); covered metres are the
    -- river's segments' stored unions of the month (year)
    DELETE FROM coverage_river_period c
    WHERE c.river_id = ANY(p_rivers) AND c.grain = 'm'
      AND c.period_start IN (SELECT date_trunc('month', d)::date FROM unnest(p_days) AS d);
    INSERT INTO coverage_river_period (river_id, grain, period_start, patrols, covered_m)
    SELECT n.river_id, 'm', n.m, n.patrols, coalesce(cm.covered_m, 0.0)
    FROM (
        SELECT c.river_id, date_trunc('month', c.period_start)::date AS m, sum(c.patrols) AS patrols
        FROM coverage_river_period c
        WHERE c.river_id = ANY(p_rivers) AND c.grain = 'd'
          AND date_trunc('month', c.period_start)::date IN
              (SELECT date_trunc('month', d)::date FROM unnest(p_days) AS d)
        GROUP BY 1, 2
    ) AS n
    LEFT JOIN (
        SELECT s.river_id, c.period_start AS m, sum(c.covered_frac * s.length_m) AS covered_m
        FROM coverage_segment_period c
        JOIN segment s ON s.id = c.segment_id
        WHERE c.grain = 'm' AND s.river_id = ANY(p_rivers)
          AND c.period_start IN (SELECT date_trunc('month', d)::date FROM unnest(p_days) AS d)
        GROUP BY 1, 2
    ) AS cm ON cm.river_id = n.river_id AND cm.m = n.m;
    DELETE FROM coverage_river_period c
    WHERE c.river_id = ANY(p_rivers) AND c.grain = 'y'
      AND c.period_start IN (SELECT date_trunc('year', d)::date FROM unnest(p_days) AS d);
    INSERT INTO coverage_river_period (river_id, grain, period_start, patrols, covered_m)
    SELECT n.river_id, 'y', n.y, n.patrols, coalesce(cy.covered_m, 0.0)
    FROM (
        SELECT c.river_id, date_trunc('year', c.period_start)::date AS y, sum(c.patrols) AS patrols
        FROM coverage_river_period c
        WHERE c.river_id = ANY(p_rivers) AND c.grain = 'm'
          AND date_trunc('year', c.period_start)::date IN
              (SELECT date_trunc('year', d)::date FROM unnest(p_days) AS d)
        GROUP BY 1, 2
    ) AS n
    LEFT JOIN (
        SELECT s.river_id, c.period_start AS y, sum(c.covered_frac * s.length_m) AS covered_m
        FROM coverage_segment_period c
        JOIN segment s ON s.id = c.segment_id
        WHERE c.grain = 'y' AND s.river_id = ANY(p_rivers)
          AND c.period_start IN (SELECT date_trunc('year', d)::date FROM unnest(p_days) AS d)
        GROUP BY 1, 2
    ) AS cy ON cy.river_id = n.river_id AND cy.y = n.y;
END
$$
"""

#: Which (segment, day) keys a write to ``patrol_coverage`` touches: intervals of counted
#: patrols only (an invalid or voided patrol's intervals count for nothing). A patrol deleted
#: in the same statement is handled by the ``patrol`` trigger.
COVERAGE_TRIGGER_FUNCTIONS = {
    "coverage_on_intervals_insert": """
    PERFORM coverage_refresh(array_agg(n.segment_id), array_agg(p.patrol_date))
    FROM new_rows n JOIN patrol p ON p.id = n.patrol_id
    WHERE p.valid AND p.voided_at IS NULL;
    """,
    "coverage_on_intervals_delete": """
    PERFORM coverage_refresh(array_agg(o.segment_id), array_agg(p.patrol_date))
    FROM old_rows o JOIN patrol p ON p.id = o.patrol_id
    WHERE p.valid AND p.voided_at IS NULL;
    """,
    "coverage_on_intervals_update": """
    PERFORM coverage_refresh(array_agg(k.segment_id), array_agg(p.patrol_date))
    FROM (SELECT segment_id, patrol_id FROM old_rows
          UNION SELECT segment_id, patrol_id FROM new_rows) AS k
    JOIN patrol p ON p.id = k.patrol_id
    WHERE p.valid AND p.voided_at IS NULL;
    """,
    # a patrol starts or stops counting, or counts for another day
    "coverage_on_patrols_update": """
    PERFORM coverage_refresh(array_agg(pc.segment_id), array_agg(k.day))
    FROM (
        SELECT n.id, o.patrol_date AS day
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (o.valid AND o.voided_at IS NULL) IS DISTINCT FROM (n.valid AND n.voided_at IS NULL)
           OR (o.patrol_date <> n.patrol_date AND (o.valid OR n.valid))
        UNION
        SELECT n.id, n.patrol_date
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE (o.valid AND o.voided_at IS NULL) IS DISTINCT FROM (n.valid AND n.voided_at IS NULL)
           OR (o.patrol_date <> n.patrol_date AND (o.valid OR n.valid))
    ) AS k
    JOIN patrol_coverage pc ON pc.patrol_id = k.id;
    """,
    # its intervals went with it (ON DELETE CASCADE): every stored segment of its day
    "coverage_on_patrols_delete": """
    PERFORM coverage_refresh(array_agg(c.segment_id), array_agg(c.period_start))
    FROM coverage_segment_period c
    WHERE c.grain = 'd'
      AND c.period_start IN (SELECT patrol_date FROM old_rows WHERE valid AND voided_at IS NULL);
    """,
}
TRIGGERS = (
    ("patrol_coverage", "INSERT", "new_rows", None, "coverage_on_intervals_insert"),
    ("patrol_coverage", "DELETE", None, "old_rows", "coverage_on_intervals_delete"),
    ("patrol_coverage", "UPDATE", "new_rows", "old_rows", "coverage_on_intervals_update"),
    ("patrol", "UPDATE", "new_rows", "old_rows", "coverage_on_patrols_update"),
    ("patrol", "DELETE", None, "old_rows", "coverage_on_patrols_delete"),
)
STORE_TABLES = ("coverage_segment_period", "coverage_river_period", "coverage_segment_version")


def _layer_triggers(table: str, args: str) -> None:
    op.execute(
        f"CREATE CONSTRAINT TRIGGER trg_{table}_layer_version "
        f"AFTER INSERT OR UPDATE OR DELETE ON {table} DEFERRABLE INITIALLY DEFERRED "
        f"FOR EACH ROW EXECUTE FUNCTION layer_version_bump({args})"
    )
    op.execute(
        f"CREATE TRIGGER trg_{table}_layer_version_truncate AFTER TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION layer_version_bump({args})"
    )


def upgrade() -> None:
    op.execute(
        "CREATE TYPE fracrange AS RANGE (subtype = float8, subtype_diff = float8mi, "
        "multirange_type_name = fracmultirange)"
    )
    op.execute(
        "CREATE FUNCTION fracmultirange_length(m fracmultirange) RETURNS float8 "
        "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS "
        "$$ SELECT coalesce(sum(upper(r) - lower(r)), 0.0) FROM unnest(m) AS r $$"
    )
    op.execute(
        """
        CREATE TABLE coverage_segment_period (
            segment_id int NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
            grain char(1) NOT NULL CHECK (grain IN ('d', 'm', 'y')),
            period_start date NOT NULL,
            covered fracmultirange NOT NULL,
            covered_frac float8 NOT NULL,
            PRIMARY KEY (segment_id, grain, period_start)
        )
        """
    )
    op.execute(
        "CREATE INDEX ix_coverage_segment_period_period ON coverage_segment_period "
        "(grain, period_start) INCLUDE (segment_id, covered_frac)"
    )
    op.execute(
        """
        CREATE TABLE coverage_river_period (
            river_id int NOT NULL REFERENCES river(id) ON DELETE CASCADE,
            grain char(1) NOT NULL CHECK (grain IN ('d', 'm', 'y')),
            period_start date NOT NULL,
            patrols int NOT NULL,
            covered_m float8 NOT NULL,
            PRIMARY KEY (river_id, grain, period_start)
        )
        """
    )
    op.execute(
        """
        CREATE TABLE coverage_segment_version (
            segment_id int PRIMARY KEY REFERENCES segment(id) ON DELETE CASCADE,
            version bigint NOT NULL
        )
        """
    )
    op.execute(
        "CREATE INDEX ix_coverage_segment_version_version ON coverage_segment_version (version)"
    )
    op.execute(REFRESH_RIVERS_FUNCTION)
    op.execute(REFRESH_FUNCTION)
    for name, body in COVERAGE_TRIGGER_FUNCTIONS.items():
        op.execute(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n{body}\n    RETURN NULL;\nEND\n$$"
        )
    for table, event, new, old, function in TRIGGERS:
        refs = " ".join(
            part
            for part in (
                f"NEW TABLE AS {new}" if new else "",
                f"OLD TABLE AS {old}" if old else "",
            )
            if part
        )
        op.execute(
            f"CREATE TRIGGER trg_{function} AFTER {event} ON {table} "
            f"REFERENCING {refs} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )
    op.execute(
        "CREATE FUNCTION coverage_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        # DELETE, not TRUNCATE: a TRUNCATE ... CASCADE of segments already emptied the store
        # in this statement, and a nested TRUNCATE of a table in use fails.
        "BEGIN\n    DELETE FROM coverage_segment_period;\n    DELETE FROM coverage_river_period;\n"
        "    RETURN NULL;\nEND\n$$"
    )
    for table in ("patrol", "patrol_coverage"):
        op.execute(
            f"CREATE TRIGGER trg_{table}_coverage_truncate AFTER TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION coverage_on_truncate()"
        )
    # Patrols no longer move the segments layer (its tiles carry per-segment versions); the
    # store's tables move the new ``coverage`` layer (whole-period reads: /api/v1/coverage).
    for table in ("patrol", "patrol_coverage"):
        op.execute(f"DROP TRIGGER trg_{table}_layer_version ON {table}")
        op.execute(f"DROP TRIGGER trg_{table}_layer_version_truncate ON {table}")
    op.execute(
        "INSERT INTO layer_version (layer, version) "
        "VALUES ('coverage', nextval('layer_version_seq')) ON CONFLICT DO NOTHING"
    )
    for table in ("coverage_segment_period", "coverage_river_period"):
        _layer_triggers(table, "'coverage'")
    # Fill it from what is stored.
    op.execute(
        "SELECT coverage_refresh(array_agg(pc.segment_id), array_agg(p.patrol_date)) "
        "FROM patrol_coverage pc JOIN patrol p ON p.id = pc.patrol_id "
        "WHERE p.valid AND p.voided_at IS NULL"
    )


def downgrade() -> None:
    for table in ("coverage_segment_period", "coverage_river_period"):
        op.execute(f"DROP TRIGGER trg_{table}_layer_version ON {table}")
        op.execute(f"DROP TRIGGER trg_{table}_layer_version_truncate ON {table}")
    op.execute("DELETE FROM layer_version WHERE layer = 'coverage'")
    for table in ("patrol", "patrol_coverage"):
        _layer_triggers(table, "'segments'")
        op.execute(f"DROP TRIGGER trg_{table}_coverage_truncate ON {table}")
    op.execute("DROP FUNCTION coverage_on_truncate()")
    for table, _event, _new, _old, function in TRIGGERS:
        op.execute(f"DROP TRIGGER trg_{function} ON {table}")
        op.execute(f"DROP FUNCTION {function}()")
    op.execute("DROP FUNCTION coverage_refresh(int[], date[])")
    op.execute("DROP FUNCTION coverage_refresh_rivers(int[], date[])")
    for table in STORE_TABLES:
        op.execute(f"DROP TABLE {table}")
    op.execute("DROP FUNCTION fracmultirange_length(fracmultirange)")
    op.execute("DROP TYPE fracrange")
