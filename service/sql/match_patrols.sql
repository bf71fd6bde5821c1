-- Match patrol tracks to river segments by linear referencing (not buffer footprints).
--
-- Inputs:  :patrol_ids int[]  patrols to match (NULL = every patrol)
--          :regions text[]   NULL, or the patrols' regions (on Citus: only their shards)
--          :river_ids  int[]  only segments of these rivers (NULL = all segments)
--          :srid       int    metric CRS for distances and fractions (settings.metric_srid, 4507)
--          :gap_m      float  consecutive points farther apart than this break coverage (metres)
-- Output:  rows inserted into patrol_coverage (patrol_id, segment_id, start_frac, end_frac,
--          region_code: the patrol's, so intervals sit on its shard under Citus);
--          the caller deletes the old rows of these patrols/segments first.
-- SRID:    tracks and segments are stored in 4326 and measured in :srid (metres, planar).
--
-- Each pair of consecutive track points (same recorded piece) that are both within the
-- river's patrol_tolerance_m of a segment and at most :gap_m apart covers the stretch between
-- their projections (ST_LineLocatePoint) onto the segment. So a track's ends add nothing past
-- its last point, leaving the tolerance zone breaks coverage, and a GPS gap breaks it too.
-- A run of such pairs covers [min, max] of its projections; runs are then merged per
-- (patrol, segment) as gaps-and-islands.
WITH p AS MATERIALIZED (
    SELECT id, region_code, ST_Transform(ST_Force2D(geom), :srid) AS g
    FROM patrol
    WHERE (CAST(:patrol_ids AS int[]) IS NULL OR id = ANY(CAST(:patrol_ids AS int[])))
      AND (CAST(:regions AS text[]) IS NULL OR region_code = ANY(CAST(:regions AS text[])))
), seg AS MATERIALIZED (
    SELECT s.id, ST_Transform(s.geom, :srid) AS g, r.patrol_tolerance_m AS tol
    FROM segment s
    JOIN river r ON r.id = s.river_id
    WHERE (CAST(:river_ids AS int[]) IS NULL OR s.river_id = ANY(CAST(:river_ids AS int[])))
), pts AS MATERIALIZED (
    SELECT p.id AS patrol_id, d.path[1] AS part, d.path[2] AS idx, d.geom AS pt
    FROM p, LATERAL ST_DumpPoints(p.g) AS d
), cand AS MATERIALIZED (
    -- runs of 128 consecutive fixes whose box meets a segment's tolerance box (boxes only), so
    -- each fix is measured against the few segments near it, not all near the whole track
    SELECT c.patrol_id, c.part, c.chunk, seg.id AS segment_id, seg.g, seg.tol
    FROM (
        SELECT patrol_id, part, idx / 128 AS chunk,
               ST_SetSRID(ST_Extent(pt)::geometry, :srid) AS box
        FROM pts
        GROUP BY patrol_id, part, idx / 128
    ) AS c
    JOIN seg ON c.box && ST_Expand(seg.g, seg.tol)
), steps AS (
    -- distance from the previous fix of the same recorded piece
    SELECT patrol_id, part, idx, pt,
           ST_Distance(pt, lag(pt) OVER (PARTITION BY patrol_id, part ORDER BY idx)) AS step_m
    FROM pts
), near AS (
    -- fixes within tolerance of a segment, projected onto it
    SELECT s.patrol_id, c.segment_id, s.part, s.idx, s.step_m,
           ST_LineLocatePoint(c.g, s.pt) AS f
    FROM steps s
    JOIN cand c ON c.patrol_id = s.patrol_id AND c.part = s.part AND c.chunk = s.idx / 128
               AND ST_DWithin(s.pt, c.g, c.tol)
), breaks AS (
    -- a run of pairs breaks where a fix outside tolerance intervenes or the step is a gap
    SELECT *, CASE WHEN lag(idx) OVER w = idx - 1 AND step_m <= :gap_m THEN 0 ELSE 1 END AS brk
    FROM near
    WINDOW w AS (PARTITION BY patrol_id, segment_id, part ORDER BY idx)
), runs AS (
    SELECT *, sum(brk) OVER (PARTITION BY patrol_id, segment_id, part ORDER BY idx
                             ROWS UNBOUNDED PRECEDING) AS run
    FROM breaks
), intervals AS (
    -- the pairs of a run chain end to end, so their union is [min f, max f] of the run
    SELECT patrol_id, segment_id, min(f) AS a, max(f) AS b
    FROM runs
    GROUP BY patrol_id, segment_id, part, run
    HAVING count(*) >= 2 AND max(f) > min(f)
), running AS (
    -- running max of interval ends, including this row (a frame ending at the current row lets
    -- PostgreSQL aggregate incrementally; "... AND 1 PRECEDING" would restart it every row)
    SELECT *, max(b) OVER (PARTITION BY patrol_id, segment_id ORDER BY a, b
                           ROWS UNBOUNDED PRECEDING) AS upto
    FROM intervals
), reach AS (
    SELECT *, lag(upto) OVER (PARTITION BY patrol_id, segment_id ORDER BY a, b) AS reach
    FROM running
), islands AS (
    SELECT *, sum(CASE WHEN reach IS NULL OR a > reach THEN 1 ELSE 0 END)
                  OVER (PARTITION BY patrol_id, segment_id ORDER BY a, b ROWS UNBOUNDED PRECEDING)
              AS island
    FROM reach
)
INSERT INTO patrol_coverage (patrol_id, segment_id, start_frac, end_frac, region_code)
SELECT i.patrol_id, i.segment_id, min(i.a), max(i.b), p.region_code
FROM islands i
JOIN p ON p.id = i.patrol_id
GROUP BY i.patrol_id, i.segment_id, i.island, p.region_code
