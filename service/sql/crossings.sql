-- Where rivers cross (or follow) the focus city's boundary: inflow, outflow and along rows.
--
-- Inputs:  :river_ids    int[]   rivers to (re)compute; their old crossing rows must be deleted first
--          :city_code    text    the focus city (511100)
--          :srid         int     metric CRS for the planar work (settings.metric_srid, EPSG:4507)
--          :tolerance_m  float   half-width of the band around the boundary, metres
--          :merge_gap_m  float   band pieces closer than this along the river form one run (m)
--          :min_along_m  float   band length (m) that makes a run "along" without weaving
--          :bit_m        float   piece length for telling which neighbour county is across (m)
-- Output:  rows inserted into crossing
-- SRID:    the work is planar in :srid (metres); stored geometry is EPSG:4326 and length_m is
--          geodesic (geography, WGS84 spheroid), metres.
--
-- Method. Every river part (oriented upstream -> downstream) is cut by the band into pieces
-- inside it and pieces clear of it. A piece clear of the band lies wholly inside or wholly
-- outside the city, so each band piece is flanked by known sides: out -> in is an inflow,
-- in -> out an outflow, the same side on both ends is no crossing (a wiggle smaller than the
-- band, or a touch); a line ending inside the band was clipped at the border and counts as
-- crossing it there. The point is where the band piece meets the boundary, the meeting point
-- nearest the piece's middle. Band pieces less than :merge_gap_m apart form a run; a run is
-- "along" the border when the river weaves across the border in it (two or more crossings:
-- how a boundary river looks in a line layer 0.3-0.5 km off the true channel) or when it stays
-- in the band for :min_along_m without crossing. A river that approaches the border and
-- crosses once is a crossing, not "along". An along run is cut into pieces of :bit_m, each
-- given the nearest neighbour city and county, so a run that follows two neighbours yields
-- one row per neighbour county in a row (gaps-and-islands).
WITH city AS (
    SELECT a.code, ST_Transform(a.geom, :srid) AS g
    FROM admin_area a
    WHERE a.code = :city_code
), band AS (
    SELECT ST_Boundary(c.g) AS border, ST_Buffer(ST_Boundary(c.g), :tolerance_m) AS g
    FROM city c
), neighbor_city AS (
    SELECT a.code, ST_Transform(a.geom, :srid) AS g
    FROM admin_area a
    WHERE a.role = 'neighbor_city'
), neighbor_county AS (
    SELECT a.code, a.parent_code, ST_Transform(a.geom, :srid) AS g
    FROM admin_area a
    WHERE a.role = 'neighbor_county'
), own_county AS (
    SELECT a.code, ST_Transform(a.geom, :srid) AS g
    FROM admin_area a
    WHERE a.role = 'focus_county'
), parts AS (
    SELECT r.id AS river_id, COALESCE(d.path[1], 1) AS part, d.geom AS line
    FROM river r
    CROSS JOIN LATERAL ST_Dump(ST_Transform(r.geom, :srid)) AS d
    CROSS JOIN band b
    WHERE r.id = ANY(:river_ids) AND r.kind = 'river' AND ST_Intersects(d.geom, b.g)
), raw_pieces AS (
    SELECT p.river_id, p.part, p.line, true AS in_band, d.geom AS piece
    FROM parts p
    CROSS JOIN band b
    CROSS JOIN LATERAL ST_Dump(ST_LineMerge(ST_CollectionExtract(ST_Intersection(p.line, b.g), 2))) AS d
    UNION ALL
    SELECT p.river_id, p.part, p.line, false, d.geom
    FROM parts p
    CROSS JOIN band b
    CROSS JOIN LATERAL ST_Dump(ST_LineMerge(ST_CollectionExtract(ST_Difference(p.line, b.g), 2))) AS d
), pieces AS (
    SELECT rp.river_id, rp.part, rp.line, rp.in_band, rp.piece,
           ST_Length(rp.piece) AS planar_m,
           ST_LineLocatePoint(rp.line, ST_LineInterpolatePoint(rp.piece, 0.5)) AS at,
           CASE WHEN rp.in_band THEN NULL
                ELSE ST_Intersects(ST_LineInterpolatePoint(rp.piece, 0.5), c.g) END AS inside
    FROM raw_pieces rp
    CROSS JOIN city c
    WHERE GeometryType(rp.piece) = 'LINESTRING' AND ST_Length(rp.piece) > 0
), ordered AS (
    SELECT p.*,
           row_number() OVER w AS idx,
           lag(p.inside) OVER w AS inside_before,
           lead(p.inside) OVER w AS inside_after,
           lag(p.in_band) OVER w AS band_before,
           lead(p.in_band) OVER w AS band_after
    FROM pieces p
    WINDOW w AS (PARTITION BY p.river_id, p.part ORDER BY p.at)
), sided AS (
    -- A line that ends inside the band was clipped at the city's border (layers such as the
    -- national 1:4M rivers come clipped to the city): it continues across, so its first band
    -- piece is entered from the far side and its last leaves to it.
    SELECT o.*,
           CASE WHEN o.inside_before IS NULL AND o.idx = 1 THEN NOT o.inside_after
                ELSE o.inside_before END AS side_before,
           CASE WHEN o.inside_after IS NULL AND o.band_after IS NULL THEN NOT o.inside_before
                ELSE o.inside_after END AS side_after
    FROM ordered o
), points AS (
    SELECT o.river_id, o.part, o.at,
           CASE WHEN o.side_after THEN 'inflow' ELSE 'outflow' END AS direction,
           ST_ClosestPoint(
               CASE WHEN ST_IsEmpty(ST_Intersection(o.piece, b.border)) THEN b.border
                    ELSE ST_Intersection(o.piece, b.border) END,
               ST_LineInterpolatePoint(o.piece, 0.5)
           ) AS pt,
           NULL::geometry AS reach,
           0.0::float8 AS length_m
    FROM sided o
    CROSS JOIN band b
    WHERE o.in_band AND o.side_before IS NOT NULL AND o.side_after IS NOT NULL
      AND o.side_before <> o.side_after
), flagged AS (
    SELECT o.*,
           (o.in_band OR (o.planar_m < :merge_gap_m AND o.band_before AND o.band_after)) AS near
    FROM ordered o
), islands AS (
    SELECT f.*,
           f.idx - row_number() OVER (PARTITION BY f.river_id, f.part, f.near ORDER BY f.at) AS grp
    FROM flagged f
), stretches AS (
    SELECT i.river_id, i.part, i.grp, min(i.line) AS line,
           ST_LineMerge(ST_Collect(i.piece ORDER BY i.at)) AS g
    FROM islands i
    WHERE i.near
    GROUP BY i.river_id, i.part, i.grp
    HAVING count(*) FILTER (WHERE i.in_band AND i.inside_before <> i.inside_after) >= 2
        OR coalesce(sum(i.planar_m) FILTER (WHERE i.in_band), 0) >= :min_along_m
), bits AS (
    SELECT s.river_id, s.part, s.grp, s.line, d.path AS path, d.geom AS bit
    FROM stretches s
    CROSS JOIN LATERAL ST_DumpSegments(ST_Segmentize(s.g, :bit_m)) AS d
), bits_across AS (
    SELECT bt.*, nc.code AS neighbor_code, ny.code AS neighbor_county_code,
           row_number() OVER (PARTITION BY bt.river_id, bt.part, bt.grp ORDER BY bt.path) AS i
    FROM bits bt
    CROSS JOIN LATERAL (
        SELECT n.code FROM neighbor_city n
        ORDER BY ST_Distance(n.g, ST_LineInterpolatePoint(bt.bit, 0.5)), n.code LIMIT 1
    ) AS nc
    LEFT JOIN LATERAL (
        SELECT n.code FROM neighbor_county n
        WHERE n.parent_code = nc.code
        ORDER BY ST_Distance(n.g, ST_LineInterpolatePoint(bt.bit, 0.5)), n.code LIMIT 1
    ) AS ny ON true
), bit_islands AS (
    SELECT b.*,
           b.i - row_number() OVER (
               PARTITION BY b.river_id, b.part, b.grp, b.neighbor_code, b.neighbor_county_code
               ORDER BY b.i
           ) AS sub
    FROM bits_across b
), alongs AS (
    SELECT bi.river_id, bi.part, min(bi.line) AS line, bi.neighbor_code, bi.neighbor_county_code,
           ST_LineMerge(ST_Collect(bi.bit ORDER BY bi.i)) AS reach
    FROM bit_islands bi
    GROUP BY bi.river_id, bi.part, bi.grp, bi.sub, bi.neighbor_code, bi.neighbor_county_code
), along_rows AS (
    SELECT a.river_id, a.part,
           ST_LineLocatePoint(a.line, ST_LineInterpolatePoint(a.reach, 0.5)) AS at,
           'along'::text AS direction,
           ST_LineInterpolatePoint(a.reach, 0.5) AS pt,
           a.reach,
           ST_Length(ST_Transform(a.reach, 4326)::geography) AS length_m,
           a.neighbor_code, a.neighbor_county_code
    FROM alongs a
    WHERE GeometryType(a.reach) = 'LINESTRING'
), point_rows AS (
    SELECT p.river_id, p.part, p.at, p.direction, p.pt, p.reach, p.length_m,
           nc.code AS neighbor_code, ny.code AS neighbor_county_code
    FROM points p
    CROSS JOIN LATERAL (
        SELECT n.code FROM neighbor_city n ORDER BY ST_Distance(n.g, p.pt), n.code LIMIT 1
    ) AS nc
    LEFT JOIN LATERAL (
        SELECT n.code FROM neighbor_county n
        WHERE n.parent_code = nc.code
        ORDER BY ST_Distance(n.g, p.pt), n.code LIMIT 1
    ) AS ny ON true
), all_rows AS (
    SELECT * FROM point_rows
    UNION ALL
    SELECT * FROM along_rows
)
INSERT INTO crossing (river_id, seq, direction, city_code, county_code, neighbor_code,
                      neighbor_county_code, length_m, tolerance_m, geom, reach)
SELECT r.river_id,
       row_number() OVER (PARTITION BY r.river_id ORDER BY r.part, r.at, r.direction),
       r.direction, :city_code,
       (SELECT oc.code FROM own_county oc ORDER BY ST_Distance(oc.g, r.pt), oc.code LIMIT 1),
       r.neighbor_code, r.neighbor_county_code, r.length_m, :tolerance_m,
       ST_Transform(r.pt, 4326),
       ST_Transform(r.reach, 4326)
FROM all_rows r
