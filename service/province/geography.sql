-- Synthetic province: cities, counties, rivers and segments (all marked synthetic).
--
-- Inputs:  :seed (float, -1..1, for setseed), :n_cities, :n_counties, :n_rivers (int),
--          :max_piece_m (float, about the longest segment, metres), :srid (int, the metric
--          CRS of segment measures, settings.metric_srid)
-- Output:  rows in admin_area (codes '99CCNN', names 合成…, source 'synthetic'), river
--          (names 合成河NNNN, source 'synthetic'), segment (cut at county boundaries, then into
--          pieces of at most :max_piece_m, numbered from upstream).
-- SRID:    4326; lengths geodesic metres (::geography).
-- Layout:  a Sichuan-sized oval (97.5-108.5E, 26-34.2N); counties are Voronoi cells of a
--          jittered grid, cities are Voronoi cells of fewer seeds (each county goes to the city
--          holding its centroid); rivers meander from the north-west highlands south-east, as
--          Sichuan's do, in steps of about 1.5 km.
SELECT setseed(:seed);

CREATE TEMP TABLE prov ON COMMIT DROP AS
SELECT ST_Buffer(ST_SetSRID(ST_MakePoint(103.0, 30.1), 4326), 4.1, 'quad_segs=16') AS geom;
UPDATE prov SET geom = ST_Scale(ST_Translate(geom, -103.0, -30.1), 1.35, 1.0);
UPDATE prov SET geom = ST_SetSRID(ST_Translate(geom, 103.0, 30.1), 4326);

CREATE TEMP TABLE county_seed ON COMMIT DROP AS
WITH size AS (
    -- the oval fills about pi/4 of its box: ask the grid for 1.27x the counties wanted
    SELECT sqrt(:n_counties * 1.27 * 1.25) AS nx, sqrt(:n_counties * 1.27 / 1.25) AS ny
), grid AS (
    SELECT 97.6 + (i + 0.5 + (random() - 0.5) * 0.8) * (11.0 / size.nx) AS x,
           26.1 + (j + 0.5 + (random() - 0.5) * 0.8) * (8.1 / size.ny) AS y
    FROM size,
         generate_series(0, ceil(size.nx)::int + 1) i,
         generate_series(0, ceil(size.ny)::int + 1) j
)
SELECT row_number() OVER (ORDER BY y DESC, x) AS n, ST_SetSRID(ST_MakePoint(x, y), 4326) AS geom
FROM grid, prov
WHERE ST_Contains(prov.geom, ST_SetSRID(ST_MakePoint(x, y), 4326));

CREATE TEMP TABLE county_cell ON COMMIT DROP AS
SELECT cs.n, ST_Multi(ST_Intersection((d).geom, prov.geom)) AS geom
FROM (SELECT ST_Dump(ST_VoronoiPolygons(ST_Collect(geom))) AS d FROM county_seed) v
JOIN county_seed cs ON ST_Contains((v.d).geom, cs.geom)
CROSS JOIN prov;

CREATE TEMP TABLE city_seed ON COMMIT DROP AS
SELECT row_number() OVER () AS n, geom
FROM (SELECT geom FROM county_seed ORDER BY random() LIMIT :n_cities) s;

CREATE TEMP TABLE county_city ON COMMIT DROP AS
SELECT cc.n AS county_n,
       (SELECT cs.n FROM city_seed cs ORDER BY cs.geom <-> ST_Centroid(cc.geom) LIMIT 1) AS city_n,
       cc.geom
FROM county_cell cc;

INSERT INTO admin_area (code, name, level, parent_code, role, area_km2, source, geom)
SELECT '99' || lpad(city_n::text, 2, '0') || '00', '合成市' || lpad(city_n::text, 2, '0'),
       'city', '990000', 'focus_city', ST_Area(ST_Union(geom)::geography) / 1e6, 'synthetic',
       ST_Multi(ST_Union(geom))
FROM county_city GROUP BY city_n;

INSERT INTO admin_area (code, name, level, parent_code, role, area_km2, source, geom)
SELECT '99' || lpad(city_n::text, 2, '0') || lpad(rn::text, 2, '0'),
       '合成县' || lpad(city_n::text, 2, '0') || '-' || lpad(rn::text, 2, '0'),
       'county', '99' || lpad(city_n::text, 2, '0') || '00', 'focus_county',
       ST_Area(geom::geography) / 1e6, 'synthetic', geom
FROM (SELECT *, row_number() OVER (PARTITION BY city_n ORDER BY county_n) AS rn
      FROM county_city) c;

-- Rivers: random walks heading east-south-east with a smoothly turning heading.
CREATE TEMP TABLE walk ON COMMIT DROP AS
WITH r AS (
    SELECT g AS rid, 97.8 + random() * 9.5 AS x0, 26.5 + random() * 7.4 AS y0,
           radians(-25 - random() * 40) AS a0, 15 + floor(random() * 60)::int AS n
    FROM generate_series(1, :n_rivers) g
), turns AS (
    SELECT rid, s, x0, y0, a0 + sum((random() - 0.5) * 0.5) OVER (PARTITION BY rid ORDER BY s) AS a
    FROM r, generate_series(1, r.n) s
)
SELECT rid, s, x0 + sum(0.015 * cos(a)) OVER w AS x, y0 + sum(0.015 * sin(a)) OVER w AS y
FROM turns WINDOW w AS (PARTITION BY rid ORDER BY s);

CREATE TEMP TABLE syn_river ON COMMIT DROP AS
SELECT rid, ST_Intersection(ST_MakeLine(ST_SetSRID(ST_MakePoint(x, y), 4326) ORDER BY s),
                            (SELECT geom FROM prov)) AS geom
FROM walk GROUP BY rid;

INSERT INTO river (name, code, kind, class, positional_accuracy_m, patrol_tolerance_m,
                   source_id, source, geom)
SELECT '合成河' || lpad(rid::text, 5, '0'), 'SYN' || lpad(rid::text, 5, '0'), 'river',
       CASE WHEN ST_Length(geom::geography) > 80000 THEN 'major' ELSE 'minor' END,
       0.0, 50.0, rid::text, 'synthetic', geom
FROM syn_river
WHERE ST_GeometryType(geom) = 'ST_LineString' AND ST_Length(geom::geography) > 5000;

-- Segments: the river inside each county, then pieces of at most :max_piece_m.
-- MATERIALIZED: on Citus (reference tables), with the CTEs inlined the router planner made
-- this INSERT ... SELECT a plan of zero tasks and inserted no segment, without an error
-- (Citus 13.0.5); a materialised CTE is planned on its own and its rows pulled as they should.
INSERT INTO segment (river_id, county_code, ord, length_m, from_m, to_m, geom)
WITH parts AS MATERIALIZED (
    SELECT r.id AS river_id, a.code, (ST_Dump(ST_Intersection(r.geom, a.geom))).geom AS geom,
           r.geom AS river_geom
    FROM river r
    JOIN admin_area a ON a.level = 'county' AND a.source = 'synthetic' AND r.geom && a.geom
                     AND ST_Intersects(r.geom, a.geom)
    WHERE r.source = 'synthetic'
), lines AS (
    SELECT river_id, code, river_geom, geom, ST_Length(geom::geography) AS len
    FROM parts WHERE ST_GeometryType(geom) = 'ST_LineString'
), pieces AS (
    SELECT river_id, code, river_geom,
           ST_LineSubstring(geom, k::float8 / n, (k + 1)::float8 / n) AS geom
    FROM (SELECT *, greatest(1, ceil(len / :max_piece_m))::int AS n FROM lines
          WHERE len > 1) l,
         generate_series(0, n - 1) k
)
SELECT river_id, code,
       row_number() OVER (PARTITION BY river_id
                          ORDER BY ST_LineLocatePoint(river_geom, ST_StartPoint(geom))),
       ST_Length(geom::geography),
       -- measures along the river (planar metres in :srid), as service/sql/cut_segments.sql
       ST_LineLocatePoint(ST_Transform(river_geom, :srid), ST_Transform(ST_StartPoint(geom), :srid))
           * ST_Length(ST_Transform(river_geom, :srid)),
       ST_LineLocatePoint(ST_Transform(river_geom, :srid), ST_Transform(ST_StartPoint(geom), :srid))
           * ST_Length(ST_Transform(river_geom, :srid)) + ST_Length(ST_Transform(geom, :srid)),
       geom
FROM pieces;
