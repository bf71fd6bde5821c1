-- Whether an uploaded patrol track comes into the focus city at all (issue 14: a track that
-- lies wholly outside it is refused instead of being stored as a patrol).
--
-- Inputs:  :wkb         bytea  the cleaned track, ISO WKB MultiLineString M, lon/lat degrees
--                              (EPSG:4326, WGS84; GCJ-02 already converted), M = epoch s
--          :focus_city  text   the focus city's admin code (settings.focus_city_code)
-- Output:  one row: touches (boolean), and where (the name of the loaded city the track's
--          first point lies in, NULL when none), for the message.
-- SRID:    4326; a topological test, no distances. The bounding boxes are compared first
--          (&&), so a track far away costs one box test.
WITH t AS (
    SELECT ST_SetSRID(ST_Force2D(ST_GeomFromWKB(:wkb)), 4326) AS g
)
SELECT
    EXISTS (
        SELECT 1
        FROM admin_area a, t
        WHERE a.code = :focus_city AND a.geom && t.g AND ST_Intersects(a.geom, t.g)
    ) AS touches,
    (
        SELECT a.name
        FROM admin_area a, t
        WHERE a.level = 'city' AND ST_Intersects(a.geom, ST_StartPoint(ST_GeometryN(t.g, 1)))
        ORDER BY a.code
        LIMIT 1
    ) AS city_name
FROM t
