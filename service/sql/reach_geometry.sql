-- Recompute the length and drawn line of reaches from the segments inside their ranges.
--
-- Inputs:  :reach_ids int[]  reaches to refresh
--          :srid      int    metric CRS of the measures (settings.metric_srid, 4507)
-- Output:  reach.length_m (geodesic metres of the river inside the city within the range)
--          and reach.geom (MultiLineString, EPSG:4326) updated; a reach whose range holds no
--          segment gets length 0 and an empty geometry (NULL).
-- SRID:    segments are cut in :srid at the fractions where the range meets them; lengths
--          are the segments' own geodesic lengths times the fraction inside the range, the
--          same measure coverage uses, so a county reach is exactly its segment's length.
WITH parts AS (
    SELECT r.id AS reach_id, s.ord, s.length_m, s.geom,
           (greatest(r.from_m, s.from_m) - s.from_m) / (s.to_m - s.from_m) AS fa,
           (least(r.to_m, s.to_m) - s.from_m) / (s.to_m - s.from_m) AS fb
    FROM reach r
    JOIN segment s ON s.river_id = r.river_id AND s.to_m > r.from_m AND s.from_m < r.to_m
    WHERE r.id = ANY(CAST(:reach_ids AS int[]))
), pieces AS (
    SELECT reach_id, ord, (fb - fa) * length_m AS length_m,
           CASE WHEN fa <= 0 AND fb >= 1 THEN geom
                ELSE ST_Transform(ST_LineSubstring(ST_Transform(geom, :srid),
                                                   greatest(fa, 0.0), least(fb, 1.0)), 4326)
           END AS geom
    FROM parts
    WHERE fb > fa
), per_reach AS (
    SELECT reach_id, sum(length_m) AS length_m,
           ST_Multi(ST_Collect(geom ORDER BY ord)) AS geom
    FROM pieces
    GROUP BY reach_id
)
UPDATE reach r
SET length_m = coalesce(p.length_m, 0.0),
    geom = p.geom
FROM (SELECT id FROM reach WHERE id = ANY(CAST(:reach_ids AS int[]))) AS todo
LEFT JOIN per_reach p ON p.reach_id = todo.id
WHERE r.id = todo.id
