-- County-level river chiefs' patrols per quarter of one year (annual assessment, item
-- "patrol_compliance"). A county chief's duty comes from 《四川省河湖长制条例》 (seed §22:
-- county chiefs follow the provincial regulation): at least one patrol per quarter.
--
-- Inputs:  :year     int   the assessed year (calendar, Asia/Shanghai days)
-- Output:  one row per (official, county, quarter 1-4): official_id, name, county_code,
--          quarter, q_start, q_end (dates), q_days, held_days (distinct days the official was
--          a county chief in that county within the quarter), patrols (valid, not voided
--          patrols dated in the quarter), patrol_ids (int[], ascending).
-- SRID:    none (no geometry). Patrols count by their local ``patrol_date``.
WITH quarters AS (
    SELECT q AS quarter,
           make_date(:year, 3 * q - 2, 1) AS q_start,
           (make_date(:year, 3 * q - 2, 1) + interval '3 months' - interval '1 day')::date AS q_end
    FROM generate_series(1, 4) AS q
), spans AS (
    SELECT a.official_id, a.county_code,
           greatest(a.valid_from, make_date(:year, 1, 1)) AS s,
           least(coalesce(a.valid_to, make_date(:year, 12, 31)), make_date(:year, 12, 31)) AS e
    FROM assignment a
    WHERE a.role = 'river_chief' AND a.level = 'county' AND a.official_id IS NOT NULL
      AND a.county_code IS NOT NULL
      AND a.valid_from <= make_date(:year, 12, 31)
      AND (a.valid_to IS NULL OR a.valid_to >= make_date(:year, 1, 1))
), held AS (
    -- distinct days: one official may chief several rivers in the same county
    SELECT sp.official_id, sp.county_code, qu.quarter, count(DISTINCT d)::int AS held_days
    FROM spans sp
    JOIN quarters qu ON sp.s <= qu.q_end AND sp.e >= qu.q_start
    CROSS JOIN LATERAL generate_series(greatest(sp.s, qu.q_start), least(sp.e, qu.q_end),
                                       interval '1 day') AS d
    GROUP BY sp.official_id, sp.county_code, qu.quarter
), chiefs AS (
    SELECT DISTINCT official_id, county_code FROM spans
)
SELECT c.official_id, o.name, c.county_code, qu.quarter, qu.q_start, qu.q_end,
       (qu.q_end - qu.q_start + 1) AS q_days,
       coalesce(h.held_days, 0) AS held_days,
       count(p.id)::int AS patrols,
       coalesce(array_agg(p.id ORDER BY p.id) FILTER (WHERE p.id IS NOT NULL), '{}') AS patrol_ids
FROM chiefs c
JOIN official o ON o.id = c.official_id
CROSS JOIN quarters qu
LEFT JOIN held h
       ON h.official_id = c.official_id AND h.county_code = c.county_code
      AND h.quarter = qu.quarter
LEFT JOIN patrol p
       ON p.chief_id = c.official_id AND p.valid AND p.voided_at IS NULL
      AND p.patrol_date BETWEEN qu.q_start AND qu.q_end
GROUP BY c.official_id, o.name, c.county_code, qu.quarter, qu.q_start, qu.q_end, h.held_days
ORDER BY c.county_code, c.official_id, qu.quarter
