-- Snap a monitoring section's point to the nearest river and measure where it lies along it.
--
-- Inputs:  :lon, :lat   float     the point, WGS84 degrees (EPSG:4326)
--          :limit_m     float     snapping limit, metres (settings.section_snap_limit_m); a river
--                                 whose patrol tolerance is larger (a coarse source line) snaps
--                                 within its tolerance
--          :river_id    int|NULL  only this river (NULL: any river with segments in the city)
--          :srid        int       metric CRS of the measure (settings.metric_srid, EPSG:4507)
-- Output:  at most one row, the nearest river line (kind 'river', with segments in the city):
--          river_id, river_name, distance_m, lim_m, within (distance_m <= lim_m), measure_m,
--          snapped_lon, snapped_lat.
-- SRID:    distance_m is geodesic (::geography, WGS84 spheroid), metres. measure_m is planar
--          metres in :srid along the river's path from its upstream end: the river's line
--          (its parts joined in downstream order) as cut_segments.sql builds it, so a measure
--          here and a segment's or reach's from_m/to_m are on the same scale. The snapped point
--          is taken on that path in :srid and returned in EPSG:4326.
--
-- Candidates by KNN (<-> on degrees, GiST) then re-ranked by geodesic distance.
WITH p AS (
    SELECT ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) AS g
), candidates AS (
    SELECT r.id, r.name, r.geom, greatest(CAST(:limit_m AS float8), r.patrol_tolerance_m) AS lim
    FROM river r, p
    WHERE r.kind = 'river'
      AND (CAST(:river_id AS int) IS NULL OR r.id = CAST(:river_id AS int))
      AND EXISTS (SELECT 1 FROM segment s WHERE s.river_id = r.id)
    ORDER BY r.geom <-> p.g
    LIMIT 8
), nearest AS (
    SELECT c.*, ST_Distance(c.geom::geography, p.g::geography) AS d
    FROM candidates c, p
    ORDER BY d, c.id
    LIMIT 1
), path AS (
    SELECT n.*, ST_Transform(ST_MakeLine(ARRAY(SELECT (ST_DumpPoints(n.geom)).geom)), :srid)
               AS path_m,
           ST_Transform(p.g, :srid) AS pt_m
    FROM nearest n, p
), located AS (
    SELECT path.*, ST_LineLocatePoint(path_m, pt_m) AS f
    FROM path
)
SELECT id AS river_id, name AS river_name, d AS distance_m, lim AS lim_m, d <= lim AS within,
       f * ST_Length(path_m) AS measure_m,
       ST_X(ST_Transform(ST_LineInterpolatePoint(path_m, f), 4326)) AS snapped_lon,
       ST_Y(ST_Transform(ST_LineInterpolatePoint(path_m, f), 4326)) AS snapped_lat
FROM located
