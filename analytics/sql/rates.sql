-- Report rates per area of one level, aggregated in PostGIS: counts, per 1,000 residents,
-- open backlog and its age, time to resolve (median, p90) and the share resolved within
-- the category's SLA. The prelude comes from problems.sql; the geometry column is a
-- pre-simplified one chosen by the selector from a fixed list.
{problems},
timed AS (
    SELECT top_id, status, created_at, sla_hours,
           status = ANY(%(open)s::text[]) AS is_open,
           status = ANY(%(fixed)s::text[]) AND resolved_at IS NOT NULL AS is_fixed,
           date_part('epoch', %(now)s::timestamptz - created_at) / 86400.0 AS age_days,
           date_part('epoch', resolved_at - created_at) / 3600.0 AS hours_to_resolve
    FROM problems
),
stats AS MATERIALIZED (
    SELECT top_id,
           count(*) AS reports,
           count(*) FILTER (WHERE is_open) AS open_backlog,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY age_days) FILTER (WHERE is_open) AS backlog_median_age_days,
           max(age_days) FILTER (WHERE is_open) AS backlog_oldest_age_days,
           count(*) FILTER (WHERE is_fixed) AS resolved,
           percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY hours_to_resolve) FILTER (WHERE is_fixed) AS hours_to_resolve,
           count(*) FILTER (WHERE is_fixed AND sla_hours IS NOT NULL) AS resolved_with_sla,
           count(*) FILTER (WHERE is_fixed AND hours_to_resolve <= sla_hours) AS resolved_within_sla
    FROM timed
    GROUP BY top_id
),
areas AS MATERIALIZED (
    -- The areas of the current generation, and (areas filed) the older areas that
    -- reports were filed in.
    SELECT a.id, a.pcode, a.level, a.name_fr, a.name_ht, a.name_en, a.parent_pcode, a.population,
           a.generation_id, ST_AsGeoJSON(coalesce({geom}, a.geom), {precision}) AS geometry
    FROM layers_adminarea a
    WHERE a.level = %(level)s AND (%(area)s::text IS NULL OR a.id IN (SELECT id FROM scope))
      AND (a.generation_id = %(generation)s OR a.id IN (SELECT top_id FROM stats))
      AND (%(communes)s::text[] IS NULL OR a.id IN (SELECT id FROM territory)
           OR a.id IN (SELECT id FROM above) OR a.id IN (SELECT top_id FROM stats))
)
SELECT a.pcode, a.level, a.name_fr, a.name_ht, a.name_en, a.parent_pcode AS parent,
       a.generation_id AS generation, a.population,
       coalesce(s.reports, 0) AS reports,
       CASE WHEN a.population > 0
            THEN round(1000.0 * coalesce(s.reports, 0) / a.population, 3) END AS reports_per_1000,
       coalesce(s.open_backlog, 0) AS open_backlog,
       round(s.backlog_median_age_days::numeric, 2) AS backlog_median_age_days,
       round(s.backlog_oldest_age_days::numeric, 2) AS backlog_oldest_age_days,
       coalesce(s.resolved, 0) AS resolved,
       round(s.hours_to_resolve[1]::numeric, 2) AS median_hours_to_resolve,
       round(s.hours_to_resolve[2]::numeric, 2) AS p90_hours_to_resolve,
       coalesce(s.resolved_with_sla, 0) AS resolved_with_sla,
       CASE WHEN s.resolved_with_sla > 0
            THEN round(s.resolved_within_sla::numeric / s.resolved_with_sla, 4) END AS share_within_sla,
       a.geometry
FROM areas a
LEFT JOIN stats s ON s.top_id = a.id
ORDER BY a.pcode, a.generation_id
