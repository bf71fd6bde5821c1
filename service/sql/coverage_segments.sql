-- Covered and uncovered pieces of every segment over a period, for the map, read from the
-- coverage store (issue 22).
--
-- Inputs:  :grains char(1)[], :starts date[]  the period as whole years, months and days
--                                 (service.coverage.store.period_pieces)
--          :srid                 int   metric CRS the fractions are measured in (4507)
--          :river_id             int   one river, or NULL for all
-- Output:  one row per piece: segment_id, river_id, river_name, county_code, covered (bool),
--          start_frac, end_frac, length_m (piece length, metres), geojson (EPSG:4326, 6 decimals)
-- SRID:    pieces are cut with ST_LineSubstring in :srid (where the fractions were measured)
--          and returned in 4326.
--
-- The covered pieces are the ranges of the union of the segment's stored period pieces (valid,
-- not voided patrols only); the uncovered ones are the gaps between them and the segment's
-- ends. The full recompute it replaces: coverage_segments_recompute.sql.
WITH pp AS (
    SELECT * FROM unnest(CAST(:grains AS char(1)[]), CAST(:starts AS date[]))
        AS t(grain, period_start)
), picked AS (
    SELECT c.segment_id, c.covered
    FROM pp
    JOIN coverage_segment_period c ON c.grain = pp.grain AND c.period_start = pp.period_start
    WHERE CAST(:river_id AS int) IS NULL
       OR c.segment_id IN (SELECT id FROM segment WHERE river_id = CAST(:river_id AS int))
), unions AS (
    SELECT segment_id, range_agg(covered) AS covered FROM picked GROUP BY segment_id
), merged AS (
    SELECT u.segment_id, lower(r) AS a, upper(r) AS b
    FROM unions u
    CROSS JOIN LATERAL unnest(u.covered) AS r
), gaps AS (
    -- the stretch before each merged interval, and the one after the last
    SELECT segment_id, coalesce(lag(b) OVER w, 0.0) AS a, a AS b
    FROM merged WINDOW w AS (PARTITION BY segment_id ORDER BY a)
    UNION ALL
    SELECT segment_id, max(b), 1.0 FROM merged GROUP BY segment_id
), pieces AS (
    SELECT segment_id, a, b, true AS covered FROM merged
    UNION ALL
    SELECT segment_id, a, b, false FROM gaps WHERE b > a
    UNION ALL
    -- no covered interval at all (no stored row, or only empty unions, e.g. after a void)
    SELECT s.id, 0.0, 1.0, false FROM segment s
    WHERE NOT EXISTS (SELECT 1 FROM merged m WHERE m.segment_id = s.id)
)
SELECT s.id AS segment_id, s.river_id, r.name AS river_name, s.county_code, pc.covered,
       pc.a AS start_frac, pc.b AS end_frac, (pc.b - pc.a) * s.length_m AS length_m,
       ST_AsGeoJSON(ST_Transform(ST_LineSubstring(ST_Transform(s.geom, :srid), pc.a, pc.b), 4326), 6)
           AS geojson
FROM pieces pc
JOIN segment s ON s.id = pc.segment_id
JOIN river r ON r.id = s.river_id
WHERE CAST(:river_id AS int) IS NULL OR s.river_id = CAST(:river_id AS int)
ORDER BY s.river_id, s.ord, pc.a
