-- Judge patrols against the valid-patrol rules (settings) and store valid / invalid_reasons.
--
-- Inputs:  :patrol_ids int[] (NULL = every patrol), :min_duration_min float (minutes),
--          :min_length_m float (metres), :min_covered_m float (metres), :min_coverage float
--          (share 0..1 of the reach's length, or of the river's inside Leshan),
--          :regions text[] (NULL, or the patrols' regions: on Citus the update then locks
--          only their shards, not every shard until commit)
-- Output:  patrol.valid and patrol.invalid_reasons updated; returns nothing.
-- Units:   lengths in metres (segment.length_m is geodesic); fractions of segment length.
--
-- Reasons, in this order: no_times (cannot prove its duration), too_short_duration,
-- too_short_length, no_coverage_of_own_river (covers < min_covered_m and < min_coverage of
-- every reach the chief held on patrol_date, the part of the patrol's intervals inside the
-- reach's measure range counting; an assignment without a reach stands for its whole river,
-- and a general chief's own rivers are all rivers). Voiding is separate (voided_at): a voided
-- patrol keeps its verdict.
WITH p AS (
    SELECT id, chief_id, patrol_date
    FROM patrol
    WHERE (CAST(:patrol_ids AS int[]) IS NULL OR id = ANY(CAST(:patrol_ids AS int[])))
      AND (CAST(:regions AS text[]) IS NULL OR region_code = ANY(CAST(:regions AS text[])))
), river_len AS (
    SELECT river_id, sum(length_m) AS length_m FROM segment GROUP BY river_id
), pieces AS (
    SELECT pc.patrol_id, pc.start_frac AS a, pc.end_frac AS b,
           s.river_id, s.from_m, s.to_m, s.length_m
    FROM patrol_coverage pc
    JOIN segment s ON s.id = pc.segment_id
    WHERE pc.patrol_id IN (SELECT id FROM p)
), covered AS (
    SELECT patrol_id, river_id, sum((b - a) * length_m) AS covered_m
    FROM pieces
    GROUP BY patrol_id, river_id
), duty AS (
    -- what the chief answered for on the patrol's day: a reach, a whole river (an assignment
    -- without a reach), or every river (general chiefs)
    SELECT p.id AS patrol_id, a.role, a.river_id, r.id AS reach_id, r.from_m AS lo,
           r.to_m AS hi, r.length_m AS reach_len
    FROM p
    JOIN assignment a ON a.official_id = p.chief_id
                     AND a.valid_from <= p.patrol_date
                     AND (a.valid_to IS NULL OR a.valid_to >= p.patrol_date)
                     AND a.role IN ('general_chief', 'deputy_general_chief', 'river_chief')
    LEFT JOIN reach r ON r.id = a.reach_id
), reach_covered AS (
    -- the part of the patrol's intervals inside each of the chief's reaches (metres)
    SELECT d.patrol_id, d.reach_id, d.reach_len,
           sum(greatest(0.0,
                        least(pc.b, (d.hi - pc.from_m) / (pc.to_m - pc.from_m))
                        - greatest(pc.a, (d.lo - pc.from_m) / (pc.to_m - pc.from_m)))
               * pc.length_m) AS covered_m
    FROM duty d
    JOIN pieces pc ON pc.patrol_id = d.patrol_id AND pc.river_id = d.river_id
                  AND pc.to_m > d.lo AND pc.from_m < d.hi
    WHERE d.reach_id IS NOT NULL
    GROUP BY d.patrol_id, d.reach_id, d.reach_len
), own_ok AS (
    SELECT c.patrol_id
    FROM covered c
    JOIN duty d ON d.patrol_id = c.patrol_id
    JOIN river_len rl ON rl.river_id = c.river_id
    WHERE (c.covered_m >= :min_covered_m OR c.covered_m / rl.length_m >= :min_coverage)
      AND (d.role IN ('general_chief', 'deputy_general_chief')
           OR (d.role = 'river_chief' AND d.reach_id IS NULL AND d.river_id = c.river_id))
    UNION
    SELECT patrol_id
    FROM reach_covered
    WHERE covered_m >= :min_covered_m
       OR (reach_len > 0 AND covered_m / reach_len >= :min_coverage)
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
  AND (CAST(:regions AS text[]) IS NULL OR patrol.region_code = ANY(CAST(:regions AS text[])))
