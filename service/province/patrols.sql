-- Synthetic patrols with their covered intervals, written directly (no tracks are matched).
--
-- Inputs:  :seed (float, -1..1), :n_patrols (int), :year (int, Asia/Shanghai calendar year of
--          patrol_date), :first_id (int, id of the first patrol to create)
-- Output:  :n_patrols rows in patrol (valid, is_synthetic, a 2-point placeholder track) and 1-3
--          rows each in patrol_coverage: a patrol walks 1-3 consecutive segments of one river,
--          from a random fraction of the first to a random fraction of the last (fractions of
--          segment length, as the patrols' matcher stores them).
-- Why:     measuring the coverage query at 10k-1M patrols does not need a million GPS tracks;
--          the query only reads patrol (date, valid, voided) and patrol_coverage.
SELECT setseed(:seed);

INSERT INTO official (name, title, is_demo)
SELECT '合成河长', 'synthetic chief (province)', true
WHERE NOT EXISTS (SELECT 1 FROM official WHERE name = '合成河长');

CREATE TEMP TABLE syn_patrol ON COMMIT DROP AS
SELECT :first_id + g - 1 AS id,
       make_date(:year, 1, 1) + floor(random() * 365)::int AS patrol_date,
       (SELECT min(id) FROM segment) + floor(random() * (SELECT max(id) - min(id) FROM segment))::int
           AS first_segment,
       1 + floor(random() * 3)::int AS n_segments,
       random() * 0.6 AS a, 0.3 + random() * 0.7 AS b
FROM generate_series(1, :n_patrols) g;
-- a patrol's region (Citus' distribution key) is the city of its first segment's county
ALTER TABLE syn_patrol ADD COLUMN region_code varchar(6);
UPDATE syn_patrol p SET region_code = region_of_county(s.county_code)
FROM segment s WHERE s.id = p.first_segment;
UPDATE syn_patrol SET region_code = home_region() WHERE region_code IS NULL;

-- one empty "upload" per patrol: (chief, upload) is unique for real patrols
INSERT INTO patrol_upload (sha256, size_bytes, filename, content_type, data, region_code)
SELECT 'f' || lpad(to_hex(id), 63, '0'), 0, 'synthetic', 'application/octet-stream', ''::bytea,
       region_code
FROM syn_patrol;

INSERT INTO patrol (id, chief_id, upload_sha256, client_id, format, datum, patrol_date,
                    has_times, duration_min, length_m, points, warnings, cleaning, valid,
                    invalid_reasons, is_synthetic, geom, region_code)
SELECT p.id, (SELECT min(id) FROM official WHERE name = '合成河长'),
       'f' || lpad(to_hex(p.id), 63, '0'),
       'synthetic-' || p.id, 'gpx', 'wgs84', p.patrol_date, true, 60, 3000, 2, '{}', '{}',
       true, '{}', true, 'SRID=4326;MULTILINESTRINGM((103 30 0,103.01 30 60))'::geometry,
       p.region_code
FROM syn_patrol p;

INSERT INTO patrol_coverage (patrol_id, segment_id, start_frac, end_frac, region_code)
SELECT p.id, s.id,
       CASE WHEN k = 0 THEN least(p.a, 0.95) ELSE 0.0 END,
       CASE WHEN k = p.n_segments - 1 THEN greatest(p.b, least(p.a, 0.95) + 0.05) ELSE 1.0 END,
       p.region_code
FROM syn_patrol p
CROSS JOIN LATERAL generate_series(0, p.n_segments - 1) k
JOIN segment s ON s.id = p.first_segment + k
JOIN segment s0 ON s0.id = p.first_segment AND s0.river_id = s.river_id;

SELECT setval(pg_get_serial_sequence('patrol', 'id'), (SELECT max(id) FROM patrol));
