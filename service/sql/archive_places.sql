-- The counties and townships a river crosses inside the city, for its archive (一河一档).
--
-- Inputs:  :river_id int  the river
--          :on date       the local day whose reaches count (township reaches are in force
--                         for a period; segments are today's pieces)
-- Output:  rows (kind, code, name, length_m), kind 'county' or 'township', upstream first:
--          counties from the river's segments (cut at county lines) with the geodesic metres
--          of the river in each; townships from the river's township and village reaches in
--          force on :on (admin_code is the township's 9-digit code), with the geodesic metres
--          of its township reaches (0 when a township holds only village reaches).
-- Units:   metres (segment.length_m and reach.length_m are geodesic, WGS84 spheroid).
WITH counties AS (
    SELECT 'county'::text AS kind, s.county_code AS code, a.name,
           sum(s.length_m) AS length_m, min(s.from_m) AS first_m
    FROM segment s
    JOIN admin_area a ON a.code = s.county_code
    WHERE s.river_id = :river_id
    GROUP BY s.county_code, a.name
),
townships AS (
    SELECT 'township'::text AS kind, t.code, t.name,
           sum(CASE WHEN r.level = 'township' THEN r.length_m ELSE 0 END) AS length_m,
           min(r.from_m) AS first_m
    FROM reach r
    JOIN township t ON t.code = r.admin_code
    WHERE r.river_id = :river_id
      AND r.level IN ('township', 'village')
      AND r.valid_from <= :on AND (r.valid_to IS NULL OR r.valid_to >= :on)
    GROUP BY t.code, t.name
)
SELECT kind, code, name, length_m FROM (
    SELECT * FROM counties
    UNION ALL
    SELECT * FROM townships
) places
ORDER BY kind, first_m, code
