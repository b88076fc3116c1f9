-- Planned and spent in HTG for a page of projects (the GeoJSON's rule: USD lines at
-- their own rate), one row per project that has budget lines.
SELECT b.project_id,
       sum(round(CASE WHEN b.currency = 'USD' THEN b.planned * b.exchange_rate ELSE b.planned END, 2)) AS planned,
       sum(round(CASE WHEN b.currency = 'USD' THEN b.spent * b.exchange_rate ELSE b.spent END, 2)) AS spent
FROM projects_budgetline b
WHERE b.project_id = ANY(%(ids)s::bigint[])
GROUP BY b.project_id
