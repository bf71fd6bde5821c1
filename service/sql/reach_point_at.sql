-- The point of a river at given measures, and the measure of given points (snapped).
--
-- Inputs:  :river_id int      the river
--          :measures float[]  measures along its downstream line, metres (may be empty)
--          :lons, :lats float[]  points (WGS84 degrees) to snap onto the river (may be empty)
--          :srid      int      metric CRS of the measures (settings.metric_srid, 4507)
-- Output:  one row per input, in input order: kind ('measure' or 'point'), n (1-based index),
--          measure_m, lon, lat (the point on the river, EPSG:4326), distance_m (geodesic metres
--          from an input point to where it snapped; 0 for measures), segment_id.
--          A measure in a gap of the river's segments (outside the city) takes the nearest
--          segment end; a point snaps to the nearest segment of the river.
-- SRID:    measures in :srid (planar metres); points returned in 4326.
WITH seg AS (
    SELECT id, from_m, to_m, geom, ST_Transform(geom, :srid) AS g
    FROM segment
    WHERE river_id = :river_id
), m_in AS (
    SELECT n, m FROM unnest(CAST(:measures AS float8[])) WITH ORDINALITY AS t(m, n)
), by_measure AS (
    SELECT 'measure' AS kind, m_in.n, s.id AS segment_id,
           s.from_m + f.f * (s.to_m - s.from_m) AS measure_m,
           ST_Transform(ST_LineInterpolatePoint(s.g, f.f), 4326) AS pt, 0.0 AS distance_m
    FROM m_in
    CROSS JOIN LATERAL (
        SELECT * FROM seg
        ORDER BY CASE WHEN m_in.m BETWEEN seg.from_m AND seg.to_m THEN 0
                      ELSE least(abs(m_in.m - seg.from_m), abs(m_in.m - seg.to_m)) END, seg.id
        LIMIT 1
    ) AS s
    CROSS JOIN LATERAL (
        SELECT least(1.0, greatest(0.0, (m_in.m - s.from_m) / (s.to_m - s.from_m))) AS f
    ) AS f
), p_in AS (
    SELECT n, ST_SetSRID(ST_MakePoint(x, y), 4326) AS p
    FROM unnest(CAST(:lons AS float8[]), CAST(:lats AS float8[])) WITH ORDINALITY AS t(x, y, n)
), by_point AS (
    SELECT DISTINCT ON (p_in.n)
           'point' AS kind, p_in.n, s.id AS segment_id,
           s.from_m + f.f * (s.to_m - s.from_m) AS measure_m,
           ST_Transform(ST_LineInterpolatePoint(s.g, f.f), 4326) AS pt,
           ST_Distance(s.geom::geography, p_in.p::geography) AS distance_m
    FROM p_in
    CROSS JOIN LATERAL (SELECT * FROM seg ORDER BY seg.geom <-> p_in.p, seg.id LIMIT 8) AS s
    CROSS JOIN LATERAL (
        SELECT ST_LineLocatePoint(s.g, ST_Transform(p_in.p, :srid)) AS f
    ) AS f
    ORDER BY p_in.n, distance_m, s.id
)
SELECT kind, n, measure_m, ST_X(pt) AS lon, ST_Y(pt) AS lat, distance_m, segment_id
FROM (SELECT * FROM by_measure UNION ALL SELECT * FROM by_point) AS found
ORDER BY kind, n
