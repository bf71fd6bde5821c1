-- Vector tile (MVT) of administrative areas: the focus city, its counties, the neighbours.
--
-- Inputs:  :z, :x, :y  int  XYZ tile in Web Mercator (EPSG:3857)
-- Output:  one bytea: MVT layer "areas", extent 4096, buffer 64 px; attributes code, name,
--          level (city|county), parent_code, role, area_km2. Cities and their counties overlap:
--          styles filter on ``level``.
-- SRID:    stored in 4326, selected with the tile's box in 4326 (GiST), drawn in 3857.
WITH tile AS (
    SELECT ST_TileEnvelope(:z, :x, :y) AS env,
           ST_Transform(ST_TileEnvelope(:z, :x, :y, margin => 64.0 / 4096), 4326) AS box
), features AS (
    SELECT a.code, a.name, a.level, a.parent_code, a.role,
           round(a.area_km2::numeric, 1)::float8 AS area_km2,
           ST_AsMVTGeom(ST_Transform(a.geom, 3857), tile.env, 4096, 64, true) AS geom
    FROM tile
    JOIN admin_area a ON a.geom && tile.box
)
SELECT coalesce(ST_AsMVT(features, 'areas', 4096, 'geom'), ''::bytea)
FROM features
WHERE geom IS NOT NULL
