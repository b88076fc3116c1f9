SELECT project_id AS key, year, sum(planned) AS planned, sum(committed) AS committed,
       sum(spent) AS spent
FROM lines GROUP BY project_id, year ORDER BY project_id, year
