-- Budget lines in HTG: a USD amount times the rate recorded on its line, rounded to the
-- centime line by line (as the commune's books convert them). numeric throughout: no
-- float ever touches money.
SELECT b.project_id, p.sector, b.funding_source_id, b.year,
       round(CASE WHEN b.currency = 'USD' THEN b.planned * b.exchange_rate ELSE b.planned END, 2) AS planned,
       round(CASE WHEN b.currency = 'USD' THEN b.committed * b.exchange_rate ELSE b.committed END, 2) AS committed,
       round(CASE WHEN b.currency = 'USD' THEN b.spent * b.exchange_rate ELSE b.spent END, 2) AS spent
FROM projects_budgetline b
JOIN projects_project p ON p.id = b.project_id
WHERE (%(year)s::int IS NULL OR b.year = %(year)s::int)
  AND (%(jurisdiction)s::bigint IS NULL OR p.jurisdiction_id = %(jurisdiction)s::bigint)
  AND (%(sector)s::text IS NULL OR p.sector = %(sector)s::text)
  AND (%(status)s::text IS NULL OR p.status = %(status)s::text)
  AND (%(project)s::bigint IS NULL OR b.project_id = %(project)s::bigint)
