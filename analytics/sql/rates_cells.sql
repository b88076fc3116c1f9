-- The rates rollup's cells of some sections (%(sections)s; NULL: every section), built from
-- their reports as the rates analysis counts them (not hidden, not a duplicate): per
-- section and grouping (GROUPING(category, status, month): 7 everything, 3 by category,
-- 5 by status, 1 by category and status, 6 by month created in the site's time zone)
-- the counts, the oldest open report, and two sparse histograms for the percentiles:
-- open reports by UTC day of creation, fixed ones by hours to resolve in buckets of
-- relative width (bucket k > 0 holds (γ^(k-1), γ^k] minutes, 0 holds up to a minute).
WITH bucketed AS (
    SELECT r.section_id, r.category_id, r.status,
           date_trunc('month', r.created_at AT TIME ZONE %(tz)s)::date AS month,
           CASE WHEN r.status = ANY(%(open)s::text[]) THEN r.created_at END AS open_at,
           CASE WHEN r.status = ANY(%(open)s::text[])
                THEN floor(date_part('epoch', r.created_at) / 86400)::int END AS open_day,
           CASE WHEN r.status = ANY(%(fixed)s::text[]) AND r.resolved_at IS NOT NULL THEN
               CASE WHEN r.resolved_at - r.created_at <= interval '1 minute' THEN 0
                    ELSE ceil(ln(date_part('epoch', r.resolved_at - r.created_at) / 60.0)
                              / ln(%(gamma)s))::int END
           END AS resolve_bucket,
           r.status = ANY(%(fixed)s::text[]) AND r.resolved_at IS NOT NULL
               AND coalesce(c.sla_hours, j.sla_hours) IS NOT NULL AS with_sla,
           r.status = ANY(%(fixed)s::text[]) AND r.resolved_at IS NOT NULL
               AND date_part('epoch', r.resolved_at - r.created_at) / 3600.0
                   <= coalesce(c.sla_hours, j.sla_hours) AS within_sla
    FROM reports_report r
    JOIN reports_category c ON c.id = r.category_id
    LEFT JOIN communes_jurisdiction j ON j.id = r.jurisdiction_id
    WHERE r.section_id IS NOT NULL
      AND (%(sections)s::bigint[] IS NULL OR r.section_id = ANY(%(sections)s::bigint[]))
      AND NOT r.hidden AND r.duplicate_of_id IS NULL AND r.status <> 'duplicate'
),
fine AS (
    SELECT section_id, category_id, status, month, open_day, resolve_bucket,
           GROUPING(category_id, status, month) AS grouping,
           count(*) AS n,
           count(*) FILTER (WHERE with_sla) AS with_sla,
           count(*) FILTER (WHERE within_sla) AS within_sla,
           min(open_at) AS oldest_open
    FROM bucketed
    GROUP BY GROUPING SETS (
        (section_id, open_day, resolve_bucket),
        (section_id, category_id, open_day, resolve_bucket),
        (section_id, status, open_day, resolve_bucket),
        (section_id, category_id, status, open_day, resolve_bucket),
        (section_id, month, open_day, resolve_bucket)
    )
)
INSERT INTO analytics_ratescell (section_id, grouping, category_id, status, month, reports,
    open_backlog, oldest_open, resolved, resolved_with_sla, resolved_within_sla,
    open_days, open_counts, resolve_buckets, resolve_counts)
SELECT section_id, grouping, category_id, status, month, sum(n),
       coalesce(sum(n) FILTER (WHERE open_day IS NOT NULL), 0), min(oldest_open),
       coalesce(sum(n) FILTER (WHERE resolve_bucket IS NOT NULL), 0),
       sum(with_sla), sum(within_sla),
       coalesce(array_agg(open_day ORDER BY open_day) FILTER (WHERE open_day IS NOT NULL), '{}'),
       coalesce(array_agg(n ORDER BY open_day) FILTER (WHERE open_day IS NOT NULL), '{}'),
       coalesce(array_agg(resolve_bucket ORDER BY resolve_bucket) FILTER (WHERE resolve_bucket IS NOT NULL), '{}'),
       coalesce(array_agg(n ORDER BY resolve_bucket) FILTER (WHERE resolve_bucket IS NOT NULL), '{}')
FROM fine
GROUP BY section_id, grouping, category_id, status, month
