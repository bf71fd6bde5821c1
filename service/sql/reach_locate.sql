-- Where a point lies along a river, and the reaches holding it on a day (responsibility).
--
-- Inputs:  :segment_id int    the segment the point was snapped to (problem_route.sql)
--          :lon, :lat  float  the point, WGS84 degrees (EPSG:4326)
--          :on         date   the local day whose reaches count (valid_from..valid_to)
--          :srid       int    metric CRS of the measures (settings.metric_srid, 4507)
-- Output:  one row per reach holding the point on :on (none when no reach does), each with
--          the point's measure_m (metres along the river's downstream line), side ('left' or
--          'right' of the line facing downstream, NULL on it) and the reach's id, level,
--          admin_code, bank; ordered city -> county -> township -> village, then by the
--          shortest reach first (a nested reach before the one around it).
--          When no reach holds the point, one row with the measure and side and NULL reach.
-- SRID:    measures and sides in :srid (planar metres); the segment's fraction f lies at
--          from_m + f * (to_m - from_m).
--
-- A reach holds the point when from_m <= measure <= to_m and its bank is NULL, 'both' or the
-- point's side: a bank narrows who is responsible, so a point on the left bank belongs to the
-- left-bank village reach and not to the one across the river.
WITH seg AS (
    SELECT s.id, s.river_id, s.from_m, s.to_m, ST_Transform(s.geom, :srid) AS g
    FROM segment s
    WHERE s.id = :segment_id
), pt AS (
    SELECT seg.*, ST_Transform(ST_SetSRID(ST_MakePoint(:lon, :lat), 4326), :srid) AS p,
           ST_LineLocatePoint(seg.g, ST_Transform(ST_SetSRID(ST_MakePoint(:lon, :lat), 4326),
                                                   :srid)) AS f
    FROM seg
), located AS (
    -- the side: sign of the cross product of the line's direction at f and the vector to p
    SELECT pt.river_id, pt.from_m + pt.f * (pt.to_m - pt.from_m) AS measure_m,
           (ST_X(b) - ST_X(a)) * (ST_Y(pt.p) - ST_Y(a))
             - (ST_Y(b) - ST_Y(a)) * (ST_X(pt.p) - ST_X(a)) AS cross_z,
           ST_Distance(pt.p, ST_LineInterpolatePoint(pt.g, pt.f)) AS off_m
    FROM pt,
         LATERAL (SELECT ST_LineInterpolatePoint(pt.g, greatest(0.0, pt.f - 1e-4)) AS a,
                         ST_LineInterpolatePoint(pt.g, least(1.0, pt.f + 1e-4)) AS b) AS dir
), sided AS (
    SELECT river_id, measure_m,
           CASE WHEN off_m < 0.5 THEN NULL WHEN cross_z > 0 THEN 'left' ELSE 'right' END AS side
    FROM located
)
SELECT sided.measure_m, sided.side, r.id AS reach_id, r.level, r.admin_code, r.bank
FROM sided
LEFT JOIN reach r
       ON r.river_id = sided.river_id
      AND sided.measure_m BETWEEN r.from_m AND r.to_m
      AND r.valid_from <= :on AND (r.valid_to IS NULL OR r.valid_to >= :on)
      AND (r.bank IS NULL OR r.bank = 'both' OR sided.side IS NULL OR r.bank = sided.side)
ORDER BY array_position(ARRAY['city', 'county', 'township', 'village'], r.level::text),
         r.to_m - r.from_m, r.id
