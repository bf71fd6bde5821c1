-- Match patrol tracks to river segments by linear referencing (not buffer footprints).
--
-- Inputs:  :patrol_ids int[]  patrols to match (NULL = every patrol)
--          :river_ids  int[]  only segments of these rivers (NULL = all segments)
--          :srid       int    metric CRS for distances and fractions (settings.metric_srid, 4507)
--          :gap_m      float  consecutive points farther apart than this break coverage (metres)
-- Output:  rows inserted into patrol_coverage (patrol_id, segment_id, start_frac, end_frac);
--          the caller deletes the old rows of these patrols/segments first.
-- SRID:    tracks and segments are stored in 4326 and measured in :srid (metres, planar).
--
-- Each pair of consecutive track points (same recorded piece) that are both within the
-- river's patrol_tolerance_m of a segment and at most :gap_m apart covers the stretch between
-- their projections (ST_LineLocatePoint) onto the segment. So a track's ends add nothing past
-- its last point, leaving the tolerance zone breaks coverage, and a GPS gap breaks it too.
-- Pair intervals are then merged per (patrol, segment) as gaps-and-islands.
WITH p AS (
    SELECT id, ST_Transform(ST_Force2D(geom), :srid) AS g
    FROM patrol
    WHERE (CAST(:patrol_ids AS int[]) IS NULL OR id = ANY(CAST(:patrol_ids AS int[])))
), seg AS (
    SELECT s.id, ST_Transform(s.geom, :srid) AS g, r.patrol_tolerance_m AS tol
    FROM segment s
    JOIN river r ON r.id = s.river_id
    WHERE (CAST(:river_ids AS int[]) IS NULL OR s.river_id = ANY(CAST(:river_ids AS int[])))
), cand AS (
    -- patrol x segment pairs that come within tolerance at all (one distance per pair)
    SELECT p.id AS patrol_id, seg.id AS segment_id, seg.g AS sg, seg.tol
    FROM p
    JOIN seg ON ST_DWithin(p.g, seg.g, seg.tol)
), pts AS (
    SELECT p.id AS patrol_id, d.path[1] AS part, d.path[2] AS idx, d.geom AS pt
    FROM p, LATERAL ST_DumpPoints(p.g) AS d
    WHERE p.id IN (SELECT patrol_id FROM cand)
), steps AS (
    SELECT patrol_id, part, idx, pt,
           ST_Distance(pt, lag(pt) OVER (PARTITION BY patrol_id, part ORDER BY idx)) AS step_m
    FROM pts
), per_point AS (
    SELECT c.patrol_id, c.segment_id, s.part, s.idx, s.step_m,
           CASE WHEN ST_DWithin(s.pt, c.sg, c.tol) THEN ST_LineLocatePoint(c.sg, s.pt) END AS f
    FROM cand c
    JOIN steps s ON s.patrol_id = c.patrol_id
), pairs AS (
    SELECT patrol_id, segment_id, f, step_m,
           lag(f) OVER (PARTITION BY patrol_id, segment_id, part ORDER BY idx) AS prev_f
    FROM per_point
), intervals AS (
    SELECT patrol_id, segment_id, least(f, prev_f) AS a, greatest(f, prev_f) AS b
    FROM pairs
    WHERE f IS NOT NULL AND prev_f IS NOT NULL AND step_m <= :gap_m AND f <> prev_f
), reach AS (
    SELECT *, max(b) OVER (PARTITION BY patrol_id, segment_id ORDER BY a, b
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
    FROM intervals
), islands AS (
    SELECT *, sum(CASE WHEN reach IS NULL OR a > reach THEN 1 ELSE 0 END)
                  OVER (PARTITION BY patrol_id, segment_id ORDER BY a, b ROWS UNBOUNDED PRECEDING)
              AS island
    FROM reach
)
INSERT INTO patrol_coverage (patrol_id, segment_id, start_frac, end_frac)
SELECT patrol_id, segment_id, min(a), max(b)
FROM islands
GROUP BY patrol_id, segment_id, island
