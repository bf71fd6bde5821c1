-- Vector tile (MVT) of river segments with their patrol coverage over a period.
--
-- Inputs:  :z, :x, :y           int       XYZ tile in Web Mercator (EPSG:3857)
--          :grains char(1)[], :starts date[]  the coverage period as whole years, months and
--                               days (service.coverage.store.period_pieces)
-- Output:  mvt bytea: MVT layer "segments", extent 4096, buffer 64 px, feature id = segment.id;
--          attributes river_id, river, county, ord, length_m (geodesic metres, rounded),
--          coverage (covered share of the segment in the period, 0..1), covered_m (metres);
--          registry_version: the registry layer's version in this snapshot (the caller picked
--          the tile's segments from boxes of a version and re-renders when they differ).
-- SRID:    geometry stored in 4326; selected with the tile's box (plus the buffer) in 4326 so
--          the GiST index on segment.geom is used, then transformed to 3857 for ST_AsMVTGeom.
--
-- Coverage comes from the coverage store (issue 22): per segment of the tile, its stored
-- pieces of the period (one row for a whole year) by primary key; a segment with several
-- pieces merges them (range_agg). The cost follows the tile's segments, not the patrols.
WITH tile AS (
    SELECT ST_TileEnvelope(:z, :x, :y) AS env,
           ST_Transform(ST_TileEnvelope(:z, :x, :y, margin => 64.0 / 4096), 4326) AS box
), pp AS (
    SELECT * FROM unnest(CAST(:grains AS char(1)[]), CAST(:starts AS date[]))
        AS t(grain, period_start)
), features AS (
    SELECT s.id, s.river_id, r.name AS river, s.county_code AS county, s.ord,
           round(s.length_m)::int AS length_m,
           round(coalesce(cov.frac, 0.0)::numeric, 4)::float8 AS coverage,
           round((coalesce(cov.frac, 0.0) * s.length_m)::numeric)::int AS covered_m,
           ST_AsMVTGeom(ST_Transform(s.geom, 3857), tile.env, 4096, 64, true) AS geom
    FROM tile
    JOIN segment s ON s.geom && tile.box
    JOIN river r ON r.id = s.river_id
    LEFT JOIN LATERAL (
        SELECT CASE WHEN count(*) = 1 THEN min(c.covered_frac)
                    ELSE fracmultirange_length(range_agg(c.covered)) END AS frac
        FROM pp
        JOIN coverage_segment_period c
          ON c.segment_id = s.id AND c.grain = pp.grain AND c.period_start = pp.period_start
    ) AS cov ON true
)
SELECT coalesce(ST_AsMVT(features, 'segments', 4096, 'geom', 'id'), ''::bytea) AS mvt,
       (SELECT version FROM layer_version WHERE layer = 'registry') AS registry_version
FROM features
WHERE geom IS NOT NULL
