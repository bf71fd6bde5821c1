-- Vector tile (MVT) of boundary crossings (跨界断面) of rivers and the focus city's border.
--
-- Inputs:  :z, :x, :y  int  XYZ tile in Web Mercator (EPSG:3857)
-- Output:  one bytea: MVT layer "crossings", extent 4096, buffer 64 px, feature id =
--          crossing.id; attributes river_id, river, direction (inflow|outflow|along), seq,
--          neighbor_code, neighbor (name), neighbor_county_code, county_code, length_m
--          (geodesic metres along the border, 0 for inflow/outflow).
-- SRID:    points stored in 4326, selected with the tile's box in 4326 (GiST), drawn in 3857.
WITH tile AS (
    SELECT ST_TileEnvelope(:z, :x, :y) AS env,
           ST_Transform(ST_TileEnvelope(:z, :x, :y, margin => 64.0 / 4096), 4326) AS box
), features AS (
    SELECT c.id, c.river_id, r.name AS river, c.direction, c.seq, c.neighbor_code,
           n.name AS neighbor, c.neighbor_county_code, c.county_code,
           round(c.length_m)::int AS length_m,
           ST_AsMVTGeom(ST_Transform(c.geom, 3857), tile.env, 4096, 64, true) AS geom
    FROM tile
    JOIN crossing c ON c.geom && tile.box
    JOIN river r ON r.id = c.river_id
    LEFT JOIN admin_area n ON n.code = c.neighbor_code
)
SELECT coalesce(ST_AsMVT(features, 'crossings', 4096, 'geom', 'id'), ''::bytea)
FROM features
WHERE geom IS NOT NULL
