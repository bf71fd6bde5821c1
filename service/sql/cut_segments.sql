-- Cut rivers into segments at the focus city's county boundaries.
--
-- Inputs:  :river_ids  int[]  rivers to (re)cut; their old segments must be deleted first
-- Output:  rows inserted into segment (river_id, county_code, ord, length_m, geom)
-- SRID:    4326 throughout; length_m is geodesic (geography, WGS84 spheroid), in metres.
--
-- A river's line is its geometry; a lake's or reservoir's is its shoreline (ST_Boundary), since
-- patrols of a lake count along its shore. Each connected piece inside one county becomes one
-- LineString segment (directed merge keeps the downstream orientation). Pieces are numbered
-- from upstream by where their start projects onto the river's whole path (its parts joined in
-- downstream order). Slivers under 1 m (vertices on a border) are dropped.
WITH river_line AS (
    SELECT r.id,
           CASE WHEN r.kind = 'river' THEN r.geom ELSE ST_Boundary(r.geom) END AS line
    FROM river r
    WHERE r.id = ANY(:river_ids)
), river_path AS (
    SELECT rl.id, rl.line,
           ST_MakeLine(ARRAY(SELECT (ST_DumpPoints(rl.line)).geom)) AS path
    FROM river_line rl
), pieces AS (
    SELECT rp.id AS river_id,
           c.code AS county_code,
           rp.path,
           (ST_Dump(ST_LineMerge(
               ST_CollectionExtract(ST_Intersection(rp.line, c.geom), 2), true))).geom AS geom
    FROM river_path rp
    JOIN admin_area c ON c.role = 'focus_county' AND ST_Intersects(rp.line, c.geom)
), kept AS (
    SELECT river_id, county_code, path, geom,
           ST_Length(geom::geography) AS length_m,
           ST_LineLocatePoint(path, ST_StartPoint(geom)) AS start_at,
           ST_LineLocatePoint(path, ST_EndPoint(geom)) AS end_at
    FROM pieces
    WHERE GeometryType(geom) = 'LINESTRING'
)
INSERT INTO segment (river_id, county_code, ord, length_m, geom)
SELECT river_id, county_code,
       row_number() OVER (PARTITION BY river_id ORDER BY start_at, end_at, county_code),
       length_m, geom
FROM kept
WHERE length_m >= 1.0
