-- Cut rivers into segments at the focus city's county boundaries.
--
-- Inputs:  :river_ids  int[]  rivers to (re)cut; their old segments must be deleted first
--          :srid       int    metric CRS of the measures (settings.metric_srid, 4507)
-- Output:  rows inserted into segment (river_id, county_code, ord, length_m, from_m, to_m,
--          geom)
-- SRID:    4326 throughout; length_m is geodesic (geography, WGS84 spheroid), in metres;
--          from_m/to_m are planar metres in :srid along the river's path from its upstream
--          end (where the segment starts, plus the segment's own planar length, so a segment
--          fraction f lies at from_m + f * (to_m - from_m)).
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
    SELECT rl.id, rl.line, p.path, ST_Transform(p.path, :srid) AS path_m
    FROM river_line rl,
         LATERAL (SELECT ST_MakeLine(ARRAY(SELECT (ST_DumpPoints(rl.line)).geom)) AS path) p
), pieces AS (
    SELECT rp.id AS river_id,
           c.code AS county_code,
           rp.path, rp.path_m,
           (ST_Dump(ST_LineMerge(
               ST_CollectionExtract(ST_Intersection(rp.line, c.geom), 2), true))).geom AS geom
    FROM river_path rp
    JOIN admin_area c ON c.role = 'focus_county' AND ST_Intersects(rp.line, c.geom)
), kept AS (
    SELECT river_id, county_code, path, geom,
           ST_Length(geom::geography) AS length_m,
           ST_LineLocatePoint(path_m, ST_Transform(ST_StartPoint(geom), :srid))
               * ST_Length(path_m) AS from_m,
           ST_Length(ST_Transform(geom, :srid)) AS planar_m,
           ST_LineLocatePoint(path, ST_StartPoint(geom)) AS start_at,
           ST_LineLocatePoint(path, ST_EndPoint(geom)) AS end_at
    FROM pieces
    WHERE GeometryType(geom) = 'LINESTRING'
)
INSERT INTO segment (river_id, county_code, ord, length_m, from_m, to_m, geom)
SELECT river_id, county_code,
       row_number() OVER (PARTITION BY river_id ORDER BY start_at, end_at, county_code),
       length_m, from_m, from_m + greatest(planar_m, 0.001), geom
FROM kept
WHERE length_m >= 1.0
