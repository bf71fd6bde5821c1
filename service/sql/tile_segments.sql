-- Vector tile (MVT) of river segments with their patrol coverage over a period.
--
-- Inputs:  :z, :x, :y           int       XYZ tile in Web Mercator (EPSG:3857)
--          :cov_ids, :cov_fracs int[], float8[]  covered share (0..1) of the tile's segments in
--                               the period, from tile_segment_coverage.sql (absent = 0); the
--                               ids may include segments outside the tile
-- Output:  mvt bytea: MVT layer "segments", extent 4096, buffer 64 px, feature id = segment.id;
--          attributes river_id, river, county, ord, length_m (geodesic metres, rounded),
--          coverage (covered share of the segment in the period, 0..1), covered_m (metres);
--          registry_version: the registry layer's version in this snapshot (the caller picked
--          :cov_ids from segment boxes of a version and re-renders when they differ).
-- SRID:    geometry stored in 4326; selected with the tile's box (plus the buffer) in 4326 so
--          the GiST index on segment.geom is used, then transformed to 3857 for ST_AsMVTGeom.
--
-- Coverage is not computed per tile: merging a period's intervals is a whole-period job
-- (tile_segment_coverage.sql, done once per period and data version and kept in memory), and
-- a tile only looks up its own segments' shares.
WITH tile AS (
    SELECT ST_TileEnvelope(:z, :x, :y) AS env,
           ST_Transform(ST_TileEnvelope(:z, :x, :y, margin => 64.0 / 4096), 4326) AS box
), cov AS (
    SELECT * FROM unnest(CAST(:cov_ids AS int[]), CAST(:cov_fracs AS float8[]))
                  AS c(segment_id, frac)
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
SELECT coalesce(ST_AsMVT(features, 'segments', 4096, 'geom', 'id'), ''::bytea) AS mvt,
       (SELECT version FROM layer_version WHERE layer = 'registry') AS registry_version
FROM features
WHERE geom IS NOT NULL
