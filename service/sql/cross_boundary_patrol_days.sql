-- Patrols of boundary reaches as aggregates per day: how much of each reach was covered.
--
-- Inputs:  :segment_ids int[], :starts float8[], :ends float8[]  the reaches (fractions of
--                              segments, as cross_boundary_reaches.sql returns them)
--          :date_from, :date_to  date  inclusive Asia/Shanghai days (patrol.patrol_date)
-- Output:  one row per day and reach patrolled: day, segment_id, start_frac, covered_m
--          (geodesic metres: merged fraction times segment.length_m), patrols (count)
-- SRID:    none (fractions along segments, from patrol_coverage).
--
-- Only valid, not voided patrols count (as for coverage). Intervals of the same day are
-- merged before summing, so two patrols of one stretch on one day count it once. No route,
-- track or time of day leaves this query.
WITH reach AS (
    SELECT t.segment_id, t.a, t.b
    FROM unnest(CAST(:segment_ids AS int[]), CAST(:starts AS float8[]),
                CAST(:ends AS float8[])) AS t(segment_id, a, b)
), iv AS (
    SELECT p.patrol_date AS day, r.segment_id, r.a AS reach_a, p.id AS patrol_id,
           greatest(pc.start_frac, r.a) AS a, least(pc.end_frac, r.b) AS b
    FROM reach r
    JOIN patrol_coverage pc ON pc.segment_id = r.segment_id
                           AND pc.end_frac > r.a AND pc.start_frac < r.b
    JOIN patrol p ON p.id = pc.patrol_id
    WHERE p.valid AND p.voided_at IS NULL AND p.patrol_date BETWEEN :date_from AND :date_to
), reached AS (
    SELECT iv.*,
           max(iv.b) OVER (PARTITION BY iv.day, iv.segment_id, iv.reach_a ORDER BY iv.a, iv.b
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach_end
    FROM iv
), islands AS (
    SELECT r.*,
           sum(CASE WHEN r.reach_end IS NULL OR r.a > r.reach_end THEN 1 ELSE 0 END)
               OVER (PARTITION BY r.day, r.segment_id, r.reach_a ORDER BY r.a, r.b
                     ROWS UNBOUNDED PRECEDING) AS island
    FROM reached r
), merged AS (
    SELECT day, segment_id, reach_a, island, min(a) AS a, max(b) AS b
    FROM islands
    GROUP BY day, segment_id, reach_a, island
), counts AS (
    SELECT day, segment_id, reach_a, count(DISTINCT patrol_id) AS patrols
    FROM iv
    GROUP BY day, segment_id, reach_a
)
SELECT m.day, m.segment_id, m.reach_a AS start_frac,
       sum((m.b - m.a) * s.length_m) AS covered_m, min(c.patrols) AS patrols
FROM merged m
JOIN segment s ON s.id = m.segment_id
JOIN counts c ON c.day = m.day AND c.segment_id = m.segment_id AND c.reach_a = m.reach_a
GROUP BY m.day, m.segment_id, m.reach_a
ORDER BY m.day, m.segment_id, m.reach_a
