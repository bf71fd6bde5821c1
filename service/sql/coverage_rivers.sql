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
-- patrols, and per river and period the sum of those unions' metres. A period of one piece
-- (a whole year, month or day) of whole rivers reads one row per river, of some counties one
-- row per county and river (coverage_county_river_period); any other period merges per
-- segment the unions of its pieces, times the segment's length. A patrol counts on one
-- day only, so the patrols of a period are the sum of its pieces' counts. Same answer as the
-- full recompute (coverage_rivers_recompute.sql) to within float rounding.
WITH pp AS (
    SELECT * FROM unnest(CAST(:grains AS char(1)[]), CAST(:starts AS date[]))
        AS t(grain, period_start)
), segs AS MATERIALIZED (
    SELECT s.id, s.river_id, s.length_m
    FROM segment s
    WHERE (CAST(:river_id AS int) IS NULL OR s.river_id = CAST(:river_id AS int))
      AND (CAST(:county_prefix AS text) IS NULL
           OR s.county_code LIKE CAST(:county_prefix AS text) || '%')
), river_len AS (
    SELECT river_id, sum(length_m) AS length_m FROM segs GROUP BY river_id
), whole AS (
    -- a period of one piece (a whole year, month or day) of whole rivers: the stored totals
    SELECT l.river_id, l.length_m, coalesce(c.covered_m, 0.0) AS covered_m
    FROM river_len l
    LEFT JOIN coverage_river_period c
      ON c.river_id = l.river_id AND c.grain = (SELECT grain FROM pp)
     AND c.period_start = (SELECT period_start FROM pp)
    WHERE cardinality(CAST(:grains AS char(1)[])) = 1 AND CAST(:county_prefix AS text) IS NULL
), county_whole AS (
    -- one piece of some counties (a city, a county): the stored per-county totals
    SELECT l.river_id, l.length_m, coalesce(k.covered_m, 0.0) AS covered_m
    FROM river_len l
    LEFT JOIN (
        SELECT k.river_id, sum(k.covered_m) AS covered_m
        FROM coverage_county_river_period k
        WHERE k.grain = (SELECT grain FROM pp) AND k.period_start = (SELECT period_start FROM pp)
          AND k.county_code LIKE CAST(:county_prefix AS text) || '%'
        GROUP BY k.river_id
    ) AS k ON k.river_id = l.river_id
    WHERE cardinality(CAST(:grains AS char(1)[])) = 1
      AND CAST(:county_prefix AS text) IS NOT NULL
), seg_frac AS (
    -- otherwise per segment. Several pieces, no filter: the union of each segment's pieces'
    -- unions ...
    SELECT c.segment_id,
           CASE WHEN count(*) = 1 THEN min(c.covered_frac)
                ELSE fracmultirange_length(range_agg(c.covered)) END AS frac
    FROM pp
    JOIN coverage_segment_period c ON c.grain = pp.grain AND c.period_start = pp.period_start
    WHERE cardinality(CAST(:grains AS char(1)[])) > 1
      AND CAST(:river_id AS int) IS NULL AND CAST(:county_prefix AS text) IS NULL
    GROUP BY c.segment_id
    UNION ALL
    -- ... several pieces of one river or some counties: their own segments' rows by key
    SELECT s.id, x.frac
    FROM segs s
    CROSS JOIN LATERAL (
        SELECT CASE WHEN count(*) = 1 THEN min(c.covered_frac)
                    ELSE fracmultirange_length(range_agg(c.covered)) END AS frac
        FROM pp
        JOIN coverage_segment_period c
          ON c.segment_id = s.id AND c.grain = pp.grain AND c.period_start = pp.period_start
    ) AS x
    WHERE cardinality(CAST(:grains AS char(1)[])) > 1
      AND NOT (CAST(:river_id AS int) IS NULL AND CAST(:county_prefix AS text) IS NULL)
      AND x.frac IS NOT NULL
), pieces AS (
    SELECT s.river_id, sum(f.frac * s.length_m) AS covered_m
    FROM seg_frac f
    JOIN segs s ON s.id = f.segment_id
    GROUP BY s.river_id
), rivers AS (
    SELECT * FROM whole
    UNION ALL
    SELECT * FROM county_whole
    UNION ALL
    SELECT l.river_id, l.length_m, coalesce(p.covered_m, 0.0)
    FROM river_len l
    LEFT JOIN pieces p ON p.river_id = l.river_id
    WHERE cardinality(CAST(:grains AS char(1)[])) > 1
), patrols AS (
    SELECT c.river_id, sum(c.patrols) AS patrols
    FROM pp
    JOIN coverage_river_period c ON c.grain = pp.grain AND c.period_start = pp.period_start
    WHERE c.river_id IN (SELECT river_id FROM river_len)
    GROUP BY c.river_id
)
SELECT r.id AS river_id, r.name, rv.length_m, rv.covered_m, coalesce(p.patrols, 0) AS patrols
FROM rivers rv
JOIN river r ON r.id = rv.river_id
LEFT JOIN patrols p ON p.river_id = rv.river_id
ORDER BY rv.length_m DESC, r.id
