-- Per-river patrol coverage over a period, read from the coverage store (issue 22).
--
-- Inputs:  :grains char(1)[], :starts date[]  the period as whole years ('y'), whole months
--                                 ('m') and days ('d') (service.coverage.store.period_pieces)
--          :river_id             int   one river, or NULL for every river with segments
--          :county_prefix        text  only segments whose county code starts with it (a city
--                                      '5111', a county '511102'), or NULL for all
-- Output:  river_id, name, length_m, covered_m, patrols (valid, not voided patrols that cover
--          some of it), one row per river with segments, longest first.
-- Units:   metres; segment.length_m is geodesic; fractions are of each segment's length.
--
-- The store holds per segment and period the union of the period's intervals of counted
-- patrols; a segment's period coverage is the union of its pieces' unions (one row for a
-- whole year: its stored length, no merge at all), times its length. A patrol counts on one
-- day only, so the patrols of a period are the sum of its pieces' counts. Same answer as the
-- full recompute (coverage_rivers_recompute.sql) to within float rounding.
WITH pp AS (
    SELECT * FROM unnest(CAST(:grains AS char(1)[]), CAST(:starts AS date[]))
        AS t(grain, period_start)
), segs AS (
    SELECT s.id, s.river_id, s.length_m
    FROM segment s
    WHERE (CAST(:river_id AS int) IS NULL OR s.river_id = CAST(:river_id AS int))
      AND (CAST(:county_prefix AS text) IS NULL
           OR s.county_code LIKE CAST(:county_prefix AS text) || '%')
), picked AS MATERIALIZED (
    SELECT c.segment_id, c.covered, c.covered_frac
    FROM pp
    JOIN coverage_segment_period c ON c.grain = pp.grain AND c.period_start = pp.period_start
    WHERE c.segment_id IN (SELECT id FROM segs)
), counts AS (
    SELECT segment_id, count(*) AS n, sum(covered_frac) AS frac FROM picked GROUP BY segment_id
), seg_frac AS (
    SELECT segment_id, frac FROM counts WHERE n = 1
    UNION ALL
    SELECT p.segment_id, fracmultirange_length(range_agg(p.covered))
    FROM picked p
    WHERE p.segment_id IN (SELECT segment_id FROM counts WHERE n > 1)
    GROUP BY p.segment_id
), seg_covered AS (
    SELECT s.river_id, sum(f.frac * s.length_m) AS covered_m
    FROM seg_frac f
    JOIN segs s ON s.id = f.segment_id
    GROUP BY s.river_id
), seg_patrols AS (
    SELECT c.river_id, sum(c.patrols) AS patrols
    FROM pp
    JOIN coverage_river_period c ON c.grain = pp.grain AND c.period_start = pp.period_start
    WHERE c.river_id IN (SELECT river_id FROM segs)
    GROUP BY c.river_id
), river_len AS (
    SELECT river_id, sum(length_m) AS length_m FROM segs GROUP BY river_id
)
SELECT r.id AS river_id, r.name, rl.length_m,
       coalesce(sc.covered_m, 0.0) AS covered_m,
       coalesce(sp.patrols, 0) AS patrols
FROM river r
JOIN river_len rl ON rl.river_id = r.id
LEFT JOIN seg_covered sc ON sc.river_id = r.id
LEFT JOIN seg_patrols sp ON sp.river_id = r.id
ORDER BY rl.length_m DESC, r.id
