-- Where a new report goes, in one round trip as every report is filed: the areas
-- containing its point (layers/sql/lookup.sql, the current generation), the jurisdiction
-- holding its commune, else the default one (as communes.selectors.jurisdiction_of_commune
-- would answer), and the team its routing rules choose there (reports/sql/route.sql, the
-- same rules and order). Always one row: the jurisdiction's columns (all null when there
-- is no default jurisdiction yet), the areas as JSON and the team as JSON (or null).
WITH areas AS (
{lookup}
),
matched AS (
    SELECT j.* FROM communes_jurisdiction j
    WHERE j.pcodes @> ARRAY[(SELECT pcode FROM areas WHERE level = 'commune')]::varchar[]
    ORDER BY j.id
    LIMIT 1
),
jurisdiction AS (
    SELECT * FROM matched
    UNION ALL
    (SELECT j.* FROM communes_jurisdiction j
     WHERE j.is_default AND NOT EXISTS (SELECT 1 FROM matched)
     ORDER BY j.id
     LIMIT 1)
),
team AS (
{route}
)
SELECT j.*,
       (SELECT json_agg(areas) FROM areas) AS place_areas,
       (SELECT row_to_json(team) FROM team) AS place_team
FROM (SELECT 1) AS one
LEFT JOIN jurisdiction j ON true
