-- BASELINE (issue 22): how tiles got their coverage before the coverage store, kept for the
-- benches (bench/coverage_growth.py, bench/partitioning.py); the service no longer runs it.
--
-- Covered share of every segment over a period, for the segments tile layer.
--
-- Inputs:  :date_from, :date_to  date  inclusive Asia/Shanghai days (patrol.patrol_date)
--          :srid                 int   metric CRS of the fractions (settings.metric_srid)
--          :river_id             int   always NULL here (a parameter of the coverage query)
-- Output:  segment_id, frac (0..1): merged covered intervals of valid, not voided patrols.
--
-- Not a second coverage computation: the placeholder below is replaced by the patrols'
-- service/sql/coverage_segments_recompute.sql (covered and uncovered pieces of every segment), so the
-- map and /api/v1/coverage cannot disagree. Its geometry column is unused here and the
-- planner drops it.
SELECT segment_id, sum(end_frac - start_frac) AS frac
FROM (
    {{coverage_segments}}
) AS pieces
WHERE covered
GROUP BY segment_id
