-- BASELINE (issue 22): per-river coverage recomputed from every stored interval of the period.
-- Kept as the full recompute the store (coverage_rivers.sql) is checked and measured against
-- (tests/coverage, bench/coverage_growth.py); the service no longer runs it.
--
-- Per-river patrol coverage over a period: union of covered intervals / river length in Leshan.
--
-- Inputs:  :date_from, :date_to  date  inclusive Asia/Shanghai days (patrol.patrol_date)
--          :river_id             int   one river, or NULL for every river with segments
-- Output:  river_id, name, length_m, covered_m, patrols (valid, not voided patrols that cover
--          some of it), one row per river with segments, longest first.
-- Units:   metres; segment.length_m is geodesic; fractions are of each segment's length.
--
-- Only valid, not voided patrols count. Intervals of all those patrols are merged per segment
-- (sorted by start, each adds only its part beyond the farthest end before it), so
-- overlapping patrols never count a stretch twice.
WITH iv AS MATERIALIZED (
    SELECT pc.patrol_id, pc.segment_id, pc.start_frac AS a, pc.end_frac AS b
    FROM patrol_coverage pc
    JOIN patrol p ON p.id = pc.patrol_id AND p.region_code = pc.region_code AND p.region_code = pc.region_code
    WHERE p.valid AND p.voided_at IS NULL
      AND p.patrol_date BETWEEN :date_from AND :date_to
), ordered AS (
    -- reach: the farthest end of the intervals before this one (same segment, by start)
    SELECT segment_id, a, b,
           max(b) OVER (PARTITION BY segment_id ORDER BY a, b
                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
    FROM iv
), seg_covered AS (
    -- each interval adds only what lies beyond the reach: the sum is the union's length
    SELECT s.river_id,
           sum(greatest(0.0, o.b - greatest(o.a, coalesce(o.reach, 0.0))) * s.length_m)
               AS covered_m
    FROM ordered o
    JOIN segment s ON s.id = o.segment_id
    GROUP BY s.river_id
), seg_patrols AS (
    SELECT s.river_id, count(DISTINCT iv.patrol_id) AS patrols
    FROM iv
    JOIN segment s ON s.id = iv.segment_id
    GROUP BY s.river_id
), river_len AS (
    SELECT river_id, sum(length_m) AS length_m FROM segment GROUP BY river_id
)
SELECT r.id AS river_id, r.name, rl.length_m,
       coalesce(sc.covered_m, 0.0) AS covered_m,
       coalesce(sp.patrols, 0) AS patrols
FROM river r
JOIN river_len rl ON rl.river_id = r.id
LEFT JOIN seg_covered sc ON sc.river_id = r.id
LEFT JOIN seg_patrols sp ON sp.river_id = r.id
WHERE CAST(:river_id AS int) IS NULL OR r.id = CAST(:river_id AS int)
ORDER BY rl.length_m DESC, r.id
