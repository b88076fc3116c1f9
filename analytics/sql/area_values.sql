-- Report counts per area of one level (the input of the Gi* statistic). The prelude
-- comes from problems.sql.
{problems},
areas AS (
    SELECT a.* FROM layers_adminarea a
    WHERE a.generation_id = %(generation)s
      AND a.level = %(level)s AND (%(area)s::text IS NULL OR a.id IN (SELECT id FROM scope))
      AND (%(communes)s::text[] IS NULL OR a.id IN (SELECT id FROM territory)
           OR a.id IN (SELECT id FROM above))
),
counts AS (
    SELECT top_id, count(*) AS reports FROM problems GROUP BY top_id
)
SELECT a.pcode, a.name_fr, a.population, coalesce(c.reports, 0) AS reports,
       ST_AsGeoJSON(coalesce({geom}, a.geom), {precision}) AS geometry
FROM areas a LEFT JOIN counts c ON c.top_id = a.id
ORDER BY a.pcode
