SELECT f.code AS key, f.name, f.kind, count(DISTINCT l.project_id) AS projects,
       sum(l.planned) AS planned, sum(l.committed) AS committed, sum(l.spent) AS spent
FROM lines l JOIN projects_fundingsource f ON f.id = l.funding_source_id
GROUP BY f.code, f.name, f.kind ORDER BY f.code
