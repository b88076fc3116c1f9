-- Public figures per category: reports, still open, fixed, median hours to fix.
-- Hidden (moderated) reports and merged duplicates are left out.
SELECT c.code, c.name_fr, c.name_ht, c.name_en,
       count(*) AS reports,
       count(*) FILTER (WHERE r.status = ANY(%(open)s)) AS open,
       count(*) FILTER (WHERE r.status = ANY(%(fixed)s)) AS fixed,
       percentile_cont(0.5) WITHIN GROUP (
         ORDER BY extract(epoch FROM r.resolved_at - r.created_at) / 3600.0
       ) FILTER (WHERE r.status = ANY(%(fixed)s) AND r.resolved_at IS NOT NULL) AS median_hours_to_fix
FROM reports_report r
JOIN reports_category c ON c.id = r.category_id
WHERE NOT r.hidden
  AND r.status <> 'duplicate'
  AND (%(jurisdiction)s::bigint IS NULL OR r.jurisdiction_id = %(jurisdiction)s)
  AND (%(area)s::bigint[] IS NULL OR r.section_id = ANY(%(area)s::bigint[])
       OR r.commune_id = ANY(%(area)s::bigint[]) OR r.departement_id = ANY(%(area)s::bigint[]))
  AND (%(date_from)s::date IS NULL OR r.created_at >= %(date_from)s::date)
  AND (%(date_to)s::date IS NULL OR r.created_at < %(date_to)s::date + 1)
GROUP BY c.id
ORDER BY reports DESC, c.code
