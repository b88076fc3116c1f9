-- Public reports of one section by category: open and fixed as reports.workflow groups
-- them (passed in), hidden ones left out.
SELECT c.code AS category, c.name_fr, c.name_ht, c.name_en,
       count(*) FILTER (WHERE r.status = ANY(%(open)s::text[])) AS open,
       count(*) FILTER (WHERE r.status = ANY(%(fixed)s::text[])) AS fixed,
       count(*) AS reports
FROM reports_report r JOIN reports_category c ON c.id = r.category_id
WHERE r.section_id = %(area)s AND NOT r.hidden
GROUP BY c.code, c.name_fr, c.name_ht, c.name_en
ORDER BY count(*) DESC, c.code
