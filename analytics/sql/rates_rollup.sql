-- Rates per area from the rollup (analytics.rollup), in one statement so that cells and
-- dirty marks are read in one snapshot: the cells of the current generation's clean
-- sections, and live (the problems prelude, restricted) the reports of dirty sections,
-- of no section or of an older generation's section. Both parts come out per area of the
-- level with the same columns; the selector sums them and reads the percentiles from the
-- histograms (sent binary: array_send). Filters the cells cannot answer never come here (the selector goes exact).
{problems},
dirty AS MATERIALIZED (SELECT DISTINCT section_id FROM analytics_ratesdirty),
cells AS (
    SELECT l.top_id, c.reports, c.open_backlog, c.oldest_open, c.resolved,
           c.resolved_with_sla, c.resolved_within_sla,
           array_send(c.open_days) AS open_days, array_send(c.open_counts) AS open_counts,
           array_send(c.resolve_buckets) AS resolve_buckets,
           array_send(c.resolve_counts) AS resolve_counts
    FROM analytics_ratescell c
    JOIN lineage l ON l.area_id = c.section_id
    WHERE c.grouping = %(grouping)s
      AND c.section_id NOT IN (SELECT section_id FROM dirty)
      AND (%(categories)s::text[] IS NULL OR c.category_id IN (
               SELECT id FROM reports_category WHERE code = ANY(%(categories)s::text[])))
      AND (%(statuses)s::text[] IS NULL OR c.status = ANY(%(statuses)s::text[]))
      AND (%(since_month)s::date IS NULL OR c.month >= %(since_month)s::date)
      AND (%(until_month)s::date IS NULL OR c.month < %(until_month)s::date)
      AND (%(area)s::text IS NULL OR c.section_id IN (SELECT id FROM scope))
      AND (%(communes)s::text[] IS NULL OR c.section_id IN (SELECT id FROM territory))
),
bucketed AS (
    SELECT top_id, created_at,
           CASE WHEN status = ANY(%(open)s::text[]) THEN created_at END AS open_at,
           CASE WHEN status = ANY(%(open)s::text[])
                THEN floor(date_part('epoch', created_at) / 86400)::int END AS open_day,
           CASE WHEN status = ANY(%(fixed)s::text[]) AND resolved_at IS NOT NULL THEN
               CASE WHEN resolved_at - created_at <= interval '1 minute' THEN 0
                    ELSE ceil(ln(date_part('epoch', resolved_at - created_at) / 60.0)
                              / ln(%(gamma)s))::int END
           END AS resolve_bucket,
           status = ANY(%(fixed)s::text[]) AND resolved_at IS NOT NULL
               AND sla_hours IS NOT NULL AS with_sla,
           status = ANY(%(fixed)s::text[]) AND resolved_at IS NOT NULL
               AND date_part('epoch', resolved_at - created_at) / 3600.0 <= sla_hours AS within_sla
    FROM problems
    WHERE top_id IS NOT NULL
),
fine AS (
    SELECT top_id, open_day, resolve_bucket, count(*) AS n,
           count(*) FILTER (WHERE with_sla) AS with_sla,
           count(*) FILTER (WHERE within_sla) AS within_sla,
           min(open_at) AS oldest_open
    FROM bucketed
    GROUP BY top_id, open_day, resolve_bucket
),
live AS (
    SELECT top_id, sum(n)::int AS reports,
           coalesce(sum(n) FILTER (WHERE open_day IS NOT NULL), 0)::int AS open_backlog,
           min(oldest_open) AS oldest_open,
           coalesce(sum(n) FILTER (WHERE resolve_bucket IS NOT NULL), 0)::int AS resolved,
           sum(with_sla)::int AS resolved_with_sla, sum(within_sla)::int AS resolved_within_sla,
           coalesce(array_agg(open_day ORDER BY open_day) FILTER (WHERE open_day IS NOT NULL), '{{}}')::int[] AS open_days,
           coalesce(array_agg(n::int ORDER BY open_day) FILTER (WHERE open_day IS NOT NULL), '{{}}')::int[] AS open_counts,
           coalesce(array_agg(resolve_bucket ORDER BY resolve_bucket) FILTER (WHERE resolve_bucket IS NOT NULL), '{{}}')::int[] AS resolve_buckets,
           coalesce(array_agg(n::int ORDER BY resolve_bucket) FILTER (WHERE resolve_bucket IS NOT NULL), '{{}}')::int[] AS resolve_counts
    FROM fine
    GROUP BY top_id
)
SELECT * FROM cells
UNION ALL
SELECT top_id, reports, open_backlog, oldest_open, resolved, resolved_with_sla,
       resolved_within_sla, array_send(open_days), array_send(open_counts),
       array_send(resolve_buckets), array_send(resolve_counts)
FROM live
