-- Route a reported point: the city and county it lies in, and the nearest river segment.
--
-- Inputs:  :lon, :lat   float  the point, WGS84 degrees (EPSG:4326; GCJ-02 already converted)
--          :limit_m     float  snap limit in metres (settings.problem_snap_limit_m); a river
--                              whose patrol tolerance is larger (a coarse source line, e.g.
--                              1:4M data 1-2 km off the channel) snaps within its tolerance
--          :focus_city  text   the focus city's admin code (settings.focus_city_code)
-- Output:  one row: city_code, city_name (NULL when no loaded city contains the point; the
--          focus city wins where polygons overlap), county_code, county_name (a county of the
--          focus city, NULL outside it), nearest_segment_id, nearest_river_id,
--          nearest_distance_m (any distance), and segment_id, river_id, distance_m of the
--          nearest segment within its limit (the larger of :limit_m and its river's
--          patrol_tolerance_m), NULL when there is none.
-- SRID:    4326; distances are geodesic (::geography, WGS84 spheroid), in metres.
--
-- The nearest segment is found with the GiST index (KNN ``<->`` on degrees) over 16
-- candidates, then re-ranked by geodesic distance: at Leshan's latitude a degree of longitude
-- is ~0.87 of a degree of latitude, so the true nearest is always among the first few.
WITH p AS (
    SELECT ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) AS g
), city AS (
    SELECT a.code, a.name
    FROM admin_area a, p
    WHERE a.level = 'city' AND ST_Intersects(a.geom, p.g)
    ORDER BY (a.code = :focus_city) DESC, a.code
    LIMIT 1
), county AS (
    SELECT a.code, a.name
    FROM admin_area a, p
    WHERE a.level = 'county' AND a.parent_code = :focus_city AND ST_Intersects(a.geom, p.g)
    ORDER BY a.code
    LIMIT 1
), candidates AS (
    SELECT s.id, s.river_id, s.geom, greatest(:limit_m, r.patrol_tolerance_m) AS lim
    FROM segment s
    JOIN river r ON r.id = s.river_id, p
    ORDER BY s.geom <-> p.g
    LIMIT 16
), measured AS (
    SELECT c.id, c.river_id, c.lim, ST_Distance(c.geom::geography, p.g::geography) AS d
    FROM candidates c, p
), nearest AS (
    SELECT * FROM measured ORDER BY d, id LIMIT 1
), snapped AS (
    SELECT * FROM measured WHERE d <= lim ORDER BY d, id LIMIT 1
)
SELECT city.code AS city_code, city.name AS city_name,
       county.code AS county_code, county.name AS county_name,
       nearest.id AS nearest_segment_id, nearest.river_id AS nearest_river_id,
       nearest.d AS nearest_distance_m,
       snapped.id AS segment_id, snapped.river_id, snapped.d AS distance_m
FROM (SELECT 1) AS one
LEFT JOIN city ON true
LEFT JOIN county ON true
LEFT JOIN nearest ON true
LEFT JOIN snapped ON true
