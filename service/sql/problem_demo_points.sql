-- Points beside rivers for the synthetic demo problems.
--
-- Inputs:  :segment_ids int[], :fractions float[], :offsets_m float[], :azimuths float[]
--          (same length; fraction along the segment 0..1, offset in metres, azimuth radians)
-- Output:  ord (1-based position in the arrays), lon, lat: WGS84 degrees.
-- SRID:    4326; the offset is geodesic (ST_Project on geography, metres).
SELECT a.ord,
       ST_X(q.g) AS lon,
       ST_Y(q.g) AS lat
FROM unnest(:segment_ids, :fractions, :offsets_m, :azimuths)
     WITH ORDINALITY AS a(segment_id, fraction, offset_m, azimuth, ord)
JOIN segment s ON s.id = a.segment_id
CROSS JOIN LATERAL (
    SELECT ST_Project(ST_LineInterpolatePoint(s.geom, a.fraction)::geography,
                      a.offset_m, a.azimuth)::geometry AS g
) q
ORDER BY a.ord
