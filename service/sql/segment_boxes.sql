-- Every segment's bounding box and the registry version they belong to, in one snapshot
-- (service/tiles/boxes.py keeps them in memory to pick a tile's segments without a query).
--
-- Output:  version (layer_version 'registry'), ids int[], xmin/ymin/xmax/ymax float8[]
-- SRID:    4326, as stored.
SELECT (SELECT version FROM layer_version WHERE layer = 'registry') AS version,
       array_agg(s.id ORDER BY s.id) AS ids,
       array_agg(ST_XMin(s.geom) ORDER BY s.id) AS xmin,
       array_agg(ST_YMin(s.geom) ORDER BY s.id) AS ymin,
       array_agg(ST_XMax(s.geom) ORDER BY s.id) AS xmax,
       array_agg(ST_YMax(s.geom) ORDER BY s.id) AS ymax
FROM segment s
