-- Ids of the segments a vector tile will hold (before its coverage shares are looked up).
--
-- Inputs:  :z, :x, :y  int  XYZ tile in Web Mercator (EPSG:3857)
-- Output:  segment.id of every segment within the tile's box plus the 64 px buffer.
-- SRID:    box in 4326 (the GiST index on segment.geom).
SELECT s.id
FROM segment s
WHERE s.geom && ST_Transform(ST_TileEnvelope(:z, :x, :y, margin => 64.0 / 4096), 4326)
