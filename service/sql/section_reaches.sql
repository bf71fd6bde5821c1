-- The river's pieces just upstream and just downstream of a measure (which reach answers for
-- the water at a monitoring section).
--
-- Inputs:  :river_id   int    the river
--          :measure_m  float  metres along the river's path from its upstream end (planar, :srid)
--          :srid       int    metric CRS of the measures (settings.metric_srid, EPSG:4507)
-- Output:  up to two rows, side 'upstream' and side 'downstream', each with segment_id,
--          county_code, from_m, to_m of the river's segment:
--          upstream   = the segment holding the measure, else the last one ending before it
--                       (the water at the measure has just left it);
--          downstream = the segment holding the measure, else the first one starting after it.
--          No row for a side with no segment (a measure above the river's first piece in the
--          city, or below its last).
-- SRID:    measures are planar metres in :srid along the path of cut_segments.sql (the river's
--          line, parts joined in downstream order); a segment's from_m is where its start
--          projects onto that path, to_m = from_m + its planar length.
--
-- Today the pieces are the county segments (service/sql/cut_segments.sql). Once reaches of
-- every level exist (issue 18) this question is asked of the lowest-level reach instead; the
-- one caller is service.water_quality.routing.reaches_around.
WITH path AS (
    SELECT ST_Transform(ST_MakeLine(ARRAY(SELECT (ST_DumpPoints(r.geom)).geom)), :srid) AS path_m
    FROM river r
    WHERE r.id = :river_id
), measured AS (
    SELECT s.id AS segment_id, s.county_code,
           ST_LineLocatePoint(path.path_m, ST_Transform(ST_StartPoint(s.geom), :srid))
               * ST_Length(path.path_m) AS from_m,
           ST_Length(ST_Transform(s.geom, :srid)) AS planar_m
    FROM segment s, path
    WHERE s.river_id = :river_id
), pieces AS (
    SELECT segment_id, county_code, from_m, from_m + planar_m AS to_m FROM measured
), up AS (
    SELECT 'upstream' AS side, * FROM pieces
    WHERE from_m < :measure_m
    ORDER BY from_m DESC, segment_id
    LIMIT 1
), down AS (
    SELECT 'downstream' AS side, * FROM pieces
    WHERE to_m > :measure_m
    ORDER BY from_m, segment_id
    LIMIT 1
)
SELECT * FROM up
UNION ALL
SELECT * FROM down
