-- BASELINE (issue 22): the pieces recomputed from every stored interval of the period, kept as
-- the full recompute the store (coverage_segments.sql) is checked and measured against.
--
-- Covered and uncovered pieces of every segment over a period, for the map.
--
-- Inputs:  :date_from, :date_to  date  inclusive Asia/Shanghai days (patrol.patrol_date)
--          :srid                 int   metric CRS the fractions are measured in (4507)
--          :river_id             int   one river, or NULL for all
-- Output:  one row per piece: segment_id, river_id, river_name, county_code, covered (bool),
--          start_frac, end_frac, length_m (piece length, metres), geojson (EPSG:4326, 6 decimals)
-- SRID:    pieces are cut with ST_LineSubstring in :srid (where the fractions were measured)
--          and returned in 4326.
--
-- The merge is the same as coverage_rivers.sql (valid, not voided patrols only); the
-- uncovered pieces are the gaps between merged intervals and the segment's ends.
WITH iv AS (
    SELECT pc.segment_id, pc.start_frac AS a, pc.end_frac AS b
    FROM patrol_coverage pc
    JOIN patrol p ON p.id = pc.patrol_id AND p.region_code = pc.region_code AND p.region_code = pc.region_code
    WHERE p.valid AND p.voided_at IS NULL
      AND p.patrol_date BETWEEN :date_from AND :date_to
), running AS (
    -- running max including this row: incremental (a frame ending "1 PRECEDING" is not)
    SELECT segment_id, a, b,
           max(b) OVER (PARTITION BY segment_id ORDER BY a, b ROWS UNBOUNDED PRECEDING) AS upto
    FROM iv
), reach AS (
    SELECT segment_id, a, b, lag(upto) OVER (PARTITION BY segment_id ORDER BY a, b) AS reach
    FROM running
), islands AS (
    SELECT segment_id, a, b,
           sum(CASE WHEN reach IS NULL OR a > reach THEN 1 ELSE 0 END)
               OVER (PARTITION BY segment_id ORDER BY a, b ROWS UNBOUNDED PRECEDING) AS island
    FROM reach
), merged AS (
    SELECT segment_id, min(a) AS a, max(b) AS b
    FROM islands
    GROUP BY segment_id, island
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
