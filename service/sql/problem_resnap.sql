-- After segments of some rivers were re-cut, re-point their problems at the nearest new
-- segment of the same river (segment ids changed; river, county and distance_m stand).
--
-- Inputs:  :river_ids  int[]  rivers whose segments were re-cut
-- Output:  problem.segment_id updated for problems on those rivers
-- SRID:    4326; nearest by KNN on geometry (degrees) among the river's own segments, which
--          is the geodesic nearest for points within the snap limit (a few km at most).
UPDATE problem p
SET segment_id = (
    SELECT s.id FROM segment s
    WHERE s.river_id = p.river_id
    ORDER BY s.geom <-> p.geom
    LIMIT 1
)
WHERE p.river_id = ANY(:river_ids)
