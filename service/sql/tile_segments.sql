-- Vector tile (MVT) of river segments with their patrol coverage over a period.
--
-- Inputs:  :z, :x, :y           int   XYZ tile in Web Mercator (EPSG:3857)
--          :date_from, :date_to date  inclusive Asia/Shanghai days of the coverage period
--          :srid                int   metric CRS of the coverage fractions (settings.metric_srid)
--          :river_id            int   always NULL here (a parameter of the coverage query)
-- Output:  one bytea: MVT layer "segments", extent 4096, buffer 64 px, feature id = segment.id;
--          attributes river_id, river, county, ord, length_m (geodesic metres, rounded),
--          coverage (covered share of the segment in the period, 0..1), covered_m (metres).
-- SRID:    geometry stored in 4326; selected with the tile's box (plus the buffer) in 4326 so
--          the GiST index on segment.geom is used, then transformed to 3857 for ST_AsMVTGeom.
--
-- The coverage is NOT computed here: the placeholder in ``pieces`` is replaced by the patrols'
-- service/sql/coverage_segments.sql (covered and uncovered pieces of every segment, valid and
-- not voided patrols only), so the map and /api/v1/coverage can never disagree.
WITH tile AS (
    SELECT ST_TileEnvelope(:z, :x, :y) AS env,
           ST_Transform(ST_TileEnvelope(:z, :x, :y, margin => 64.0 / 4096), 4326) AS box
), pieces AS (
    {{coverage_segments}}
), cov AS (
    SELECT segment_id, sum(end_frac - start_frac) AS frac
    FROM pieces
    WHERE covered
    GROUP BY segment_id
), features AS (
    SELECT s.id, s.river_id, r.name AS river, s.county_code AS county, s.ord,
           round(s.length_m)::int AS length_m,
           round(coalesce(cov.frac, 0.0)::numeric, 4)::float8 AS coverage,
           round((coalesce(cov.frac, 0.0) * s.length_m)::numeric)::int AS covered_m,
           ST_AsMVTGeom(ST_Transform(s.geom, 3857), tile.env, 4096, 64, true) AS geom
    FROM tile
    JOIN segment s ON s.geom && tile.box
    JOIN river r ON r.id = s.river_id
    LEFT JOIN cov ON cov.segment_id = s.id
)
SELECT coalesce(ST_AsMVT(features, 'segments', 4096, 'geom', 'id'), ''::bytea)
FROM features
WHERE geom IS NOT NULL
