-- Vector tile (MVT) of problems, public fields only.
--
-- Inputs:  :z, :x, :y  int  XYZ tile in Web Mercator (EPSG:3857)
-- Output:  one bytea: MVT layer "problems", extent 4096, buffer 64 px, feature id = problem.id;
--          attributes category, state, river_id, river, observed_on (Asia/Shanghai day,
--          YYYY-MM-DD). Never the reporter, description, photos or assignees; covert-check
--          problems (暗访) and duplicates are left out entirely. Tiles are the same for every
--          caller so they can be cached and shared.
-- SRID:    points stored in 4326, selected with the tile's box in 4326 (GiST), drawn in 3857.
WITH tile AS (
    SELECT ST_TileEnvelope(:z, :x, :y) AS env,
           ST_Transform(ST_TileEnvelope(:z, :x, :y, margin => 64.0 / 4096), 4326) AS box
), features AS MATERIALIZED (
    -- materialised: on Citus the rows come from the problems' shards and ST_AsMVT runs on
    -- the coordinator (Citus cannot ship the CTE's anonymous row type to the workers)
    SELECT p.id, p.category, p.state, p.river_id, r.name AS river,
           to_char(p.observed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS observed_on,
           ST_AsMVTGeom(ST_Transform(p.geom, 3857), tile.env, 4096, 64, true) AS geom
    FROM tile
    JOIN problem p ON p.geom && tile.box
    LEFT JOIN river r ON r.id = p.river_id
    WHERE NOT p.covert AND p.state <> 'duplicate'
)
SELECT coalesce(ST_AsMVT(features, 'problems', 4096, 'geom', 'id'), ''::bytea)
FROM features
WHERE geom IS NOT NULL
