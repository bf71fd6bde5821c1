-- Open problems of the same category near a point: possible duplicates of a new report.
--
-- Inputs:  :lon, :lat     float  the point, WGS84 degrees (EPSG:4326)
--          :category      text   problem category code
--          :radius_m      float  search radius in metres (settings.problem_duplicate_radius_m)
--          :open_states   text[] states counted as open (service.problems.workflow.OPEN_STATES)
--          :exclude_id    int    the new problem itself (or -1)
-- Output:  id, state, observed_at, distance_m per problem, nearest first.
-- SRID:    4326; ST_DWithin and the distance on geography (geodesic metres). The bounding-box
--          prefilter on geometry (&& with a box grown by radius / 80 km per degree, generous
--          for latitudes below 45 degrees) lets the GiST index do the work.
WITH p AS (
    SELECT ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) AS g
)
SELECT pr.id, pr.state, pr.observed_at,
       ST_Distance(pr.geom::geography, p.g::geography) AS distance_m
FROM problem pr, p
WHERE pr.geom && ST_Expand(p.g, :radius_m / 80000.0)
  AND ST_DWithin(pr.geom::geography, p.g::geography, :radius_m)
  AND pr.category = :category
  AND pr.state = ANY(:open_states)
  AND pr.id <> :exclude_id
ORDER BY distance_m, pr.id
