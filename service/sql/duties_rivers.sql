-- Per river with a municipal (city-level) chief in a year: the state of its §12 documents
-- (the year's four lists, the 一河一策 plan in force) and §13 health assessments.
--
-- Inputs:  :year        int   the year (calendar, Asia/Shanghai days)
--          :city_code   text  the focus city's admin code (for "crosses the city boundary")
-- Output:  river_id, name, cross_boundary (bool: the river's line leaves the city polygon),
--          lists_id, lists_state, lists_number, lists_issued_on (date: the office document),
--          plan_ids (int[] issued plans whose period covers the year),
--          plan_numbers (text[]), health_ids (int[] assessments of the year).
-- SRID:    geometry in EPSG:4326; only topological predicates (no lengths).
WITH rivers AS (
    SELECT DISTINCT a.river_id
    FROM assignment a
    WHERE a.role = 'river_chief' AND a.level = 'city' AND a.river_id IS NOT NULL
      AND a.valid_from <= make_date(:year, 12, 31)
      AND (a.valid_to IS NULL OR a.valid_to >= make_date(:year, 1, 1))
), city AS (
    SELECT geom FROM admin_area WHERE code = :city_code
)
SELECT r.id AS river_id, r.name,
       coalesce((SELECT ST_Intersects(r.geom, c.geom) AND NOT ST_Within(r.geom, c.geom)
                 FROM city c), false) AS cross_boundary,
       l.id AS lists_id, l.state AS lists_state, ld.number AS lists_number,
       ld.issued_on AS lists_issued_on,
       coalesce((SELECT array_agg(p.id ORDER BY p.id) FROM river_plan p
                 WHERE p.river_id = r.id AND p.state = 'issued'
                   AND :year BETWEEN p.period_start AND p.period_end), '{}') AS plan_ids,
       coalesce((SELECT array_agg(d.number ORDER BY p.id) FROM river_plan p
                 JOIN office_document d ON d.id = p.document_id
                 WHERE p.river_id = r.id AND p.state = 'issued'
                   AND :year BETWEEN p.period_start AND p.period_end), '{}') AS plan_numbers,
       coalesce((SELECT array_agg(h.id ORDER BY h.id) FROM health_assessment h
                 WHERE h.river_id = r.id AND h.year = :year), '{}') AS health_ids
FROM rivers x
JOIN river r ON r.id = x.river_id
LEFT JOIN annual_list l ON l.river_id = r.id AND l.year = :year
LEFT JOIN office_document ld ON ld.id = l.document_id
ORDER BY r.id
