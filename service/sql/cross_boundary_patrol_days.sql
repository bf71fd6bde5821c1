-- Patrols of boundary reaches as aggregates per day: how much of each reach was covered.
--
-- Inputs:  :segment_ids int[], :starts float8[], :ends float8[]  the reaches (fractions of
--                              segments, as cross_boundary_reaches.sql returns them)
--          :date_from, :date_to  date  inclusive Asia/Shanghai days (patrol.patrol_date)
-- Output:  one row per day and reach patrolled: day, segment_id, start_frac, covered_m
--          (geodesic metres: merged fraction times segment.length_m), patrols (count)
-- SRID:    none (fractions along segments, from patrol_coverage).
--
-- Only valid, not voided patrols count (as for coverage). The covered metres are the day's
-- stored union (the coverage store, issue 22) cut to the reach, so two patrols of one stretch
-- on one day count it once; the patrol count reads the reach's own intervals. No route,
-- track or time of day leaves this query.
WITH reach AS (
    SELECT t.segment_id, t.a, t.b
    FROM unnest(CAST(:segment_ids AS int[]), CAST(:starts AS float8[]),
                CAST(:ends AS float8[])) AS t(segment_id, a, b)
), days AS (
    SELECT c.period_start AS day, r.segment_id, r.a AS reach_a,
           fracmultirange_length(c.covered * fracmultirange(fracrange(r.a, r.b))) * s.length_m
               AS covered_m
    FROM reach r
    JOIN coverage_segment_period c
      ON c.segment_id = r.segment_id AND c.grain = 'd'
     AND c.period_start BETWEEN :date_from AND :date_to
    JOIN segment s ON s.id = r.segment_id
), counts AS (
    SELECT p.patrol_date AS day, r.segment_id, r.a AS reach_a, count(DISTINCT p.id) AS patrols
    FROM reach r
    JOIN patrol_coverage pc ON pc.segment_id = r.segment_id
                           AND pc.end_frac > r.a AND pc.start_frac < r.b
    JOIN patrol p ON p.id = pc.patrol_id AND p.region_code = pc.region_code AND p.region_code = pc.region_code
    WHERE p.valid AND p.voided_at IS NULL AND p.patrol_date BETWEEN :date_from AND :date_to
    GROUP BY p.patrol_date, r.segment_id, r.a
)
SELECT d.day, d.segment_id, d.reach_a AS start_frac, sum(d.covered_m) AS covered_m,
       min(c.patrols) AS patrols
FROM days d
JOIN counts c ON c.day = d.day AND c.segment_id = d.segment_id AND c.reach_a = d.reach_a
WHERE d.covered_m > 0
GROUP BY d.day, d.segment_id, d.reach_a
ORDER BY d.day, d.segment_id, d.reach_a
