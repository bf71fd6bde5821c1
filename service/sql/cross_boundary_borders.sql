-- The focus city's boundary shared with each neighbour city.
--
-- Inputs:  :city_code  text  the focus city (511100); old shared_border rows must be deleted first
-- Output:  rows inserted into shared_border (neighbor_code, city_code, length_m, geom)
-- SRID:    4326 throughout; length_m is geodesic (geography, WGS84 spheroid), metres.
--
-- The areas come from one source whose neighbours share vertices exactly, so the plain
-- intersection of the city's boundary with a neighbour's polygon is the shared border (checked:
-- the five lengths add up to the city's perimeter within 0.1%). Touching at a single point
-- gives no line and no row.
WITH city AS (
    SELECT a.code, a.geom, ST_Boundary(a.geom) AS border
    FROM admin_area a
    WHERE a.code = :city_code
), shared AS (
    SELECT n.code AS neighbor_code, c.code AS city_code,
           ST_Multi(ST_LineMerge(ST_CollectionExtract(ST_Intersection(c.border, n.geom), 2))) AS geom
    FROM city c
    JOIN admin_area n ON n.role = 'neighbor_city' AND ST_Intersects(c.geom, n.geom)
)
INSERT INTO shared_border (neighbor_code, city_code, length_m, geom)
SELECT s.neighbor_code, s.city_code, ST_Length(s.geom::geography), s.geom
FROM shared s
WHERE NOT ST_IsEmpty(s.geom)
