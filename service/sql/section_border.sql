-- The crossing of the city boundary (inflow or outflow) nearest a measure along a river: the
-- border a monitoring section sits at, if any.
--
-- Inputs:  :river_id   int    the section's river
--          :measure_m  float  the section's measure: metres along the river's path from its
--                             upstream end (planar, :srid; see section_snap.sql)
--          :match_m    float  largest distance along the river between section and crossing
--                             (settings.section_border_match_m)
--          :srid       int    metric CRS of the measures (settings.metric_srid, EPSG:4507)
-- Output:  at most one row: neighbor_code, direction ('inflow'/'outflow'), county_code (the
--          city's side), neighbor_county_code, along_m (|crossing measure - :measure_m|).
-- SRID:    measures planar metres in :srid along the path built as in cut_segments.sql.
--
-- Along the river, not as the crow flies: a meandering river can come back within a few
-- kilometres of the crossing it entered by, far downstream of it.
WITH path AS (
    SELECT ST_Transform(ST_MakeLine(ARRAY(SELECT (ST_DumpPoints(r.geom)).geom)), :srid) AS path_m
    FROM river r
    WHERE r.id = :river_id
), measured AS (
    SELECT c.neighbor_code, c.direction, c.county_code, c.neighbor_county_code, c.seq,
           abs(ST_LineLocatePoint(path.path_m, ST_Transform(c.geom, :srid))
               * ST_Length(path.path_m) - :measure_m) AS along_m
    FROM crossing c, path
    WHERE c.river_id = :river_id AND c.direction IN ('inflow', 'outflow')
)
SELECT neighbor_code, direction, county_code, neighbor_county_code, along_m
FROM measured
WHERE along_m <= :match_m
ORDER BY along_m, seq
LIMIT 1
