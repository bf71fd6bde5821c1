-- The coverage store against a full recompute from the stored intervals (issue 22).
--
-- Inputs:  :tol float8  largest difference of covered fractions taken as equal
-- Output:  one row per disagreement: kind ('segment', 'river' or 'county': a river's metres
--          in one county), key (segment or river id),
--          grain ('d', 'm', 'y'), period_start, stored (covered fraction of the segment, or
--          patrol count of the river, whose covered metres are checked too; NULL if the store
--          lacks the row), recomputed (NULL if
--          the store has a row the intervals do not give). No rows: the store is right.
-- Units:   fractions of the segment's length; patrol counts.
--
-- The recompute is the merge the reads used before the store (coverage_rivers_recompute.sql:
-- sorted by start, each interval adds only its part beyond the farthest end before it), per
-- segment and day, month and year, of valid, not voided patrols.
WITH iv AS MATERIALIZED (
    SELECT pc.segment_id, s.river_id, p.id AS patrol_id, p.patrol_date AS day,
           pc.start_frac AS a, pc.end_frac AS b
    FROM patrol_coverage pc
    JOIN patrol p ON p.id = pc.patrol_id AND p.region_code = pc.region_code
    JOIN segment s ON s.id = pc.segment_id
    WHERE p.valid AND p.voided_at IS NULL
), keyed AS (
    SELECT segment_id, CAST('d' AS char(1)) AS grain, day AS period_start, a, b FROM iv
    UNION ALL
    SELECT segment_id, 'm', CAST(date_trunc('month', day) AS date), a, b FROM iv
    UNION ALL
    SELECT segment_id, 'y', CAST(date_trunc('year', day) AS date), a, b FROM iv
), ordered AS (
    SELECT segment_id, grain, period_start, a, b,
           max(b) OVER (PARTITION BY segment_id, grain, period_start ORDER BY a, b
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
    FROM keyed
), recomputed AS (
    SELECT segment_id, grain, period_start,
           sum(greatest(0.0, b - greatest(a, coalesce(reach, 0.0)))) AS frac
    FROM ordered
    GROUP BY segment_id, grain, period_start
), river_covered AS (
    SELECT s.river_id, r.grain, r.period_start, sum(r.frac * s.length_m) AS covered_m
    FROM recomputed r
    JOIN segment s ON s.id = r.segment_id
    GROUP BY s.river_id, r.grain, r.period_start
), county_covered AS (
    SELECT s.county_code, s.river_id, r.grain, r.period_start, sum(r.frac * s.length_m) AS covered_m
    FROM recomputed r
    JOIN segment s ON s.id = r.segment_id
    GROUP BY s.county_code, s.river_id, r.grain, r.period_start
), river_recomputed AS (
    SELECT river_id, CAST('d' AS char(1)) AS grain, day AS period_start,
           count(DISTINCT patrol_id) AS patrols
    FROM iv GROUP BY river_id, day
    UNION ALL
    SELECT river_id, 'm', CAST(date_trunc('month', day) AS date), count(DISTINCT patrol_id)
    FROM iv GROUP BY 1, 3
    UNION ALL
    SELECT river_id, 'y', CAST(date_trunc('year', day) AS date), count(DISTINCT patrol_id)
    FROM iv GROUP BY 1, 3
)
SELECT 'segment' AS kind, coalesce(c.segment_id, r.segment_id) AS key,
       coalesce(c.grain, r.grain) AS grain, coalesce(c.period_start, r.period_start) AS period_start,
       c.covered_frac AS stored, r.frac AS recomputed
FROM coverage_segment_period c
FULL JOIN recomputed r
  ON r.segment_id = c.segment_id AND r.grain = c.grain AND r.period_start = c.period_start
WHERE c.segment_id IS NULL OR r.segment_id IS NULL
   OR abs(c.covered_frac - r.frac) > :tol
   OR abs(fracmultirange_length(c.covered) - c.covered_frac) > :tol
UNION ALL
SELECT 'river', coalesce(c.river_id, r.river_id), coalesce(c.grain, r.grain),
       coalesce(c.period_start, r.period_start), c.patrols, r.patrols
FROM coverage_river_period c
FULL JOIN river_recomputed r
  ON r.river_id = c.river_id AND r.grain = c.grain AND r.period_start = c.period_start
LEFT JOIN river_covered rc
  ON rc.river_id = r.river_id AND rc.grain = r.grain AND rc.period_start = r.period_start
WHERE c.river_id IS NULL OR r.river_id IS NULL OR c.patrols <> r.patrols
   OR abs(c.covered_m - coalesce(rc.covered_m, 0.0)) > :tol * greatest(1.0, rc.covered_m)
UNION ALL
SELECT 'county', coalesce(k.river_id, cc.river_id), coalesce(k.grain, cc.grain),
       coalesce(k.period_start, cc.period_start), k.covered_m, cc.covered_m
FROM coverage_county_river_period k
FULL JOIN county_covered cc
  ON cc.county_code = k.county_code AND cc.river_id = k.river_id AND cc.grain = k.grain
 AND cc.period_start = k.period_start
WHERE k.river_id IS NULL OR cc.river_id IS NULL
   OR abs(k.covered_m - cc.covered_m) > :tol * greatest(1.0, cc.covered_m)
ORDER BY 1, 2, 3, 4
