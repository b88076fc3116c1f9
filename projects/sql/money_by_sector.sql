SELECT sector AS key, count(DISTINCT project_id) AS projects,
       sum(planned) AS planned, sum(committed) AS committed, sum(spent) AS spent
FROM lines GROUP BY sector ORDER BY sector
