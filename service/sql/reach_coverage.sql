-- Patrol coverage of measure ranges of rivers (reaches) over a period.
--
-- Inputs:  :keys int[], :river_ids int[], :from_ms float8[], :to_ms float8[]  the ranges, one
--          per key (a reach id, or any caller's key); measures in metres along the river's
--          downstream line (settings.metric_srid)
--          :date_from, :date_to date  inclusive Asia/Shanghai days (patrol.patrol_date)
--          :grains char(1)[], :starts date[]  the same period as stored pieces (whole years,
--                                 months, days: service.coverage.store.period_pieces)
-- Output:  one row per key: key, length_m (geodesic metres of the city's segments inside the
--          range), covered_m (of that, patrolled alongside in the period), patrols (valid, not
--          voided patrols covering some of it).
-- Units:   metres. A segment fraction f lies at from_m + f * (to_m - from_m); a covered
--          interval [a, b] of a segment counts by the part of it inside the range, times the
--          segment's geodesic length (as coverage_rivers.sql counts whole segments).
--
-- Covered metres come from the coverage store (``merged``: the union of the period's stored
-- pieces of each segment, issue 22). Only the patrol count (``hits``) still reads intervals,
-- of the ranges' own segments: how many patrols touched a sub-range of a segment is not in
-- the store (it keeps unions, not who made them).
WITH ranges AS (
    SELECT * FROM unnest(CAST(:keys AS int[]), CAST(:river_ids AS int[]),
                         CAST(:from_ms AS float8[]), CAST(:to_ms AS float8[]))
         AS t(key, river_id, lo, hi)
), segs AS MATERIALIZED (
    SELECT DISTINCT s.id, s.from_m, s.to_m, s.length_m, r.key, r.lo, r.hi
    FROM ranges r
    JOIN segment s ON s.river_id = r.river_id AND s.to_m > r.lo AND s.from_m < r.hi
), iv AS (
    SELECT pc.patrol_id, pc.segment_id, pc.start_frac AS a, pc.end_frac AS b
    FROM patrol_coverage pc
    JOIN patrol p ON p.id = pc.patrol_id AND p.region_code = pc.region_code AND p.region_code = pc.region_code
    WHERE p.valid AND p.voided_at IS NULL
      AND p.patrol_date BETWEEN :date_from AND :date_to
      AND pc.segment_id IN (SELECT id FROM segs)
), merged AS (
    -- the union of the period's stored pieces per segment (the coverage store, issue 22)
    SELECT u.segment_id, lower(r) AS a, upper(r) AS b
    FROM (
        SELECT c.segment_id, range_agg(c.covered) AS covered
        FROM unnest(CAST(:grains AS char(1)[]), CAST(:starts AS date[])) AS pp(grain, period_start)
        JOIN coverage_segment_period c ON c.grain = pp.grain AND c.period_start = pp.period_start
        WHERE c.segment_id IN (SELECT id FROM segs)
        GROUP BY c.segment_id
    ) AS u
    CROSS JOIN LATERAL unnest(u.covered) AS r
), inside AS (
    -- each segment's part of the range, as fractions of the segment
    SELECT key, id AS segment_id, length_m,
           greatest(0.0, (lo - from_m) / (to_m - from_m)) AS fa,
           least(1.0, (hi - from_m) / (to_m - from_m)) AS fb
    FROM segs
), covered AS (
    SELECT i.key, sum(greatest(0.0, least(m.b, i.fb) - greatest(m.a, i.fa)) * i.length_m)
               AS covered_m
    FROM inside i
    JOIN merged m ON m.segment_id = i.segment_id
    GROUP BY i.key
), hits AS (
    SELECT i.key, count(DISTINCT iv.patrol_id) AS patrols
    FROM inside i
    JOIN iv ON iv.segment_id = i.segment_id AND least(iv.b, i.fb) > greatest(iv.a, i.fa)
    GROUP BY i.key
), lengths AS (
    SELECT key, sum(greatest(0.0, fb - fa) * length_m) AS length_m FROM inside GROUP BY key
)
SELECT r.key, coalesce(l.length_m, 0.0) AS length_m, coalesce(c.covered_m, 0.0) AS covered_m,
       coalesce(h.patrols, 0) AS patrols
FROM ranges r
LEFT JOIN lengths l ON l.key = r.key
LEFT JOIN covered c ON c.key = r.key
LEFT JOIN hits h ON h.key = r.key
