-- Judge patrols against the valid-patrol rules (settings) and store valid / invalid_reasons.
--
-- Inputs:  :patrol_ids int[] (NULL = every patrol), :min_duration_min float (minutes),
--          :min_length_m float (metres), :min_covered_m float (metres), :min_coverage float
--          (share 0..1 of the river's length inside Leshan)
-- Output:  patrol.valid and patrol.invalid_reasons updated; returns nothing.
-- Units:   lengths in metres (segment.length_m is geodesic); fractions of segment length.
--
-- Reasons, in this order: no_times (cannot prove its duration), too_short_duration,
-- too_short_length, no_coverage_of_own_river (covers < min_covered_m and < min_coverage of
-- every river the chief was river chief of on patrol_date; a general chief's own rivers are
-- all rivers). Voiding is separate (voided_at): a voided patrol keeps its verdict.
WITH p AS (
    SELECT id, chief_id, patrol_date
    FROM patrol
    WHERE (CAST(:patrol_ids AS int[]) IS NULL OR id = ANY(CAST(:patrol_ids AS int[])))
), river_len AS (
    SELECT river_id, sum(length_m) AS length_m FROM segment GROUP BY river_id
), covered AS (
    SELECT pc.patrol_id, s.river_id, sum((pc.end_frac - pc.start_frac) * s.length_m) AS covered_m
    FROM patrol_coverage pc
    JOIN segment s ON s.id = pc.segment_id
    WHERE pc.patrol_id IN (SELECT id FROM p)
    GROUP BY pc.patrol_id, s.river_id
), own_ok AS (
    SELECT DISTINCT c.patrol_id
    FROM covered c
    JOIN p ON p.id = c.patrol_id
    JOIN river_len rl ON rl.river_id = c.river_id
    WHERE (c.covered_m >= :min_covered_m OR c.covered_m / rl.length_m >= :min_coverage)
      AND EXISTS (
          SELECT 1 FROM assignment a
          WHERE a.official_id = p.chief_id
            AND a.valid_from <= p.patrol_date
            AND (a.valid_to IS NULL OR a.valid_to >= p.patrol_date)
            AND (a.role IN ('general_chief', 'deputy_general_chief')
                 OR (a.role = 'river_chief' AND a.river_id = c.river_id)))
), verdict AS (
    SELECT t.id, array_remove(ARRAY[
               CASE WHEN NOT t.has_times THEN 'no_times' END,
               CASE WHEN t.has_times AND coalesce(t.duration_min, 0) < :min_duration_min
                    THEN 'too_short_duration' END,
               CASE WHEN t.length_m < :min_length_m THEN 'too_short_length' END,
               CASE WHEN t.id NOT IN (SELECT patrol_id FROM own_ok)
                    THEN 'no_coverage_of_own_river' END
           ]::text[], NULL) AS reasons
    FROM patrol t
    WHERE t.id IN (SELECT id FROM p)
)
UPDATE patrol SET invalid_reasons = verdict.reasons, valid = cardinality(verdict.reasons) = 0
FROM verdict
WHERE patrol.id = verdict.id
