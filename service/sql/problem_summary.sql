-- Problems of one year per county and per river: counts by state, overdue, on-time
-- rectification, median days to close (the annual assessment uses these).
--
-- Inputs:  :start, :end    timestamptz  [start, end) of the year in Asia/Shanghai, as UTC
--          :today          date         today (Asia/Shanghai), for overdue / past due
--          :done_states    text[]       states in which the due date no longer runs
-- Output:  one row per grouping set: grp ('county' | 'river' | 'total'), county_code,
--          river_id, total, one count column per state, overdue, judged, on_time, closed,
--          median_days_to_close (days, float).
-- SRID:    none (no geometry); times stored in UTC, days counted in Asia/Shanghai.
--
-- Rectification is judged by the LAST time the problem reached 'rectified' (a rejected
-- rectification does not count); judged = rectified, closed not fixed, or past due;
-- duplicates are not counted in rates. Days to close: report (history row 1) to the last
-- 'closed' row.
WITH base AS (
    SELECT p.id, p.county_code, p.river_id, p.state, p.due_date,
           ev.reported_at, ev.rectified_at, ev.closed_at
    FROM problem p
    JOIN LATERAL (
        SELECT min(e.at) FILTER (WHERE e.seq = 1) AS reported_at,
               max(e.at) FILTER (WHERE e.to_state = 'rectified') AS rectified_at,
               max(e.at) FILTER (WHERE e.to_state = 'closed') AS closed_at
        FROM workflow_event e
        WHERE e.entity_type = 'problem' AND e.entity_id = p.id
          AND e.region_code = p.region_code  -- co-located on Citus (docs/scaling.md)
    ) ev ON true
    WHERE p.observed_at >= :start AND p.observed_at < :end
), judged AS (
    SELECT b.*,
           CASE
               WHEN b.state = 'duplicate' THEN NULL
               WHEN b.rectified_at IS NOT NULL THEN
                   b.due_date IS NULL
                   OR (b.rectified_at AT TIME ZONE 'Asia/Shanghai')::date <= b.due_date
               WHEN b.state = 'closed_not_fixed' THEN false
               WHEN b.due_date < :today THEN false
           END AS on_time,
           (b.due_date < :today AND NOT (b.state = ANY(:done_states))) AS overdue,
           CASE WHEN b.state = 'closed'
                THEN extract(epoch FROM b.closed_at - b.reported_at) / 86400.0 END AS close_days
    FROM base b
)
SELECT CASE WHEN GROUPING(county_code) = 0 THEN 'county'
            WHEN GROUPING(river_id) = 0 THEN 'river' ELSE 'total' END AS grp,
       county_code, river_id,
       count(*) AS total,
       count(*) FILTER (WHERE state = 'reported') AS reported,
       count(*) FILTER (WHERE state = 'assigned') AS assigned,
       count(*) FILTER (WHERE state = 'rectifying') AS rectifying,
       count(*) FILTER (WHERE state = 'rectified') AS rectified,
       count(*) FILTER (WHERE state = 'verified') AS verified,
       count(*) FILTER (WHERE state = 'closed') AS closed,
       count(*) FILTER (WHERE state = 'closed_not_fixed') AS closed_not_fixed,
       count(*) FILTER (WHERE state = 'duplicate') AS duplicate,
       count(*) FILTER (WHERE state = 'reopened') AS reopened,
       count(*) FILTER (WHERE overdue) AS overdue,
       count(on_time) AS judged,
       count(*) FILTER (WHERE on_time) AS on_time,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY close_days) AS median_days_to_close
FROM judged
GROUP BY GROUPING SETS ((county_code), (river_id), ())
