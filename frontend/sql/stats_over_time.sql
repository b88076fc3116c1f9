-- Reports made and reports fixed per period (week or month, in the local time zone).
WITH scoped AS (
  SELECT r.created_at, r.resolved_at, r.status
  FROM reports_report r
  WHERE NOT r.hidden
    AND r.status <> 'duplicate'
    AND (%(jurisdiction)s::bigint IS NULL OR r.jurisdiction_id = %(jurisdiction)s)
    AND (%(area)s::bigint[] IS NULL OR r.section_id = ANY(%(area)s::bigint[])
         OR r.commune_id = ANY(%(area)s::bigint[]) OR r.departement_id = ANY(%(area)s::bigint[]))
    AND (%(category)s::text IS NULL OR r.category_id = (SELECT id FROM reports_category WHERE code = %(category)s))
    AND (%(date_from)s::date IS NULL OR r.created_at >= %(date_from)s::date)
    AND (%(date_to)s::date IS NULL OR r.created_at < %(date_to)s::date + 1)
), made AS (
  SELECT date_trunc(%(period)s, created_at AT TIME ZONE %(tz)s)::date AS period, count(*) AS reports
  FROM scoped GROUP BY 1
), fixed AS (
  SELECT date_trunc(%(period)s, resolved_at AT TIME ZONE %(tz)s)::date AS period, count(*) AS fixed
  FROM scoped WHERE resolved_at IS NOT NULL AND status = ANY(%(fixed_states)s) GROUP BY 1
)
SELECT period, coalesce(made.reports, 0) AS reports, coalesce(fixed.fixed, 0) AS fixed
FROM made FULL JOIN fixed USING (period)
ORDER BY period
