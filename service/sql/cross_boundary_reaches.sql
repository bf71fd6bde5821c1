-- Boundary reaches: the pieces of given rivers' segments within a distance of the border the
-- focus city shares with one neighbour city.
--
-- Inputs:  :neighbor_code  text   the neighbour city (shared_border row)
--          :river_ids      int[]  rivers to look at (those sharing a crossing with it)
--          :buffer_m       float  distance from the shared border, metres
--          :srid           int    metric CRS (settings.metric_srid, EPSG:4507)
-- Output:  one row per piece: segment_id, river_id, river_name, ord, county_code, county_name,
--          start_frac, end_frac (fractions of the segment measured in :srid, the convention of
--          patrol_coverage), segment_length_m and length_m (geodesic metres, the segment's
--          length times the fraction, as patrol coverage counts), geojson (EPSG:4326)
-- SRID:    buffer and cut in :srid (planar metres); output geometry 4326.
WITH zone AS (
    SELECT ST_Buffer(ST_Transform(sb.geom, :srid), :buffer_m) AS g
    FROM shared_border sb
    WHERE sb.neighbor_code = :neighbor_code
), seg AS (
    SELECT s.id, s.river_id, s.ord, s.county_code, s.length_m, ST_Transform(s.geom, :srid) AS g
    FROM segment s
    WHERE s.river_id = ANY(:river_ids)
), pieces AS (
    SELECT seg.*, d.geom AS piece
    FROM seg
    CROSS JOIN zone z
    CROSS JOIN LATERAL ST_Dump(ST_LineMerge(ST_CollectionExtract(ST_Intersection(seg.g, z.g), 2))) AS d
    WHERE ST_Intersects(seg.g, z.g)
), fractions AS (
    SELECT p.*,
           least(ST_LineLocatePoint(p.g, ST_StartPoint(p.piece)),
                 ST_LineLocatePoint(p.g, ST_EndPoint(p.piece))) AS a,
           greatest(ST_LineLocatePoint(p.g, ST_StartPoint(p.piece)),
                    ST_LineLocatePoint(p.g, ST_EndPoint(p.piece))) AS b
    FROM pieces p
    WHERE GeometryType(p.piece) = 'LINESTRING'
)
SELECT f.id AS segment_id, f.river_id, r.name AS river_name, f.ord, f.county_code,
       c.name AS county_name, f.a AS start_frac, f.b AS end_frac,
       f.length_m AS segment_length_m, (f.b - f.a) * f.length_m AS length_m,
       ST_AsGeoJSON(ST_Transform(ST_LineSubstring(f.g, f.a, f.b), 4326), 6) AS geojson
FROM fractions f
JOIN river r ON r.id = f.river_id
JOIN admin_area c ON c.code = f.county_code
WHERE f.b > f.a
ORDER BY f.river_id, f.ord, f.a
