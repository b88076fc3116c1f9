-- Where a new report goes, in one round trip as every report is filed: the areas
-- containing its point (layers/sql/lookup.sql, the current generation), the jurisdiction
-- holding its commune, else the default one (as communes.selectors.jurisdiction_of_commune
-- would answer), and the team its routing rules choose there (reports/sql/route.sql, the
-- same rules and order). One JSON object: the jurisdiction's row (null when there is no
-- default jurisdiction yet), the areas and the team's row (or null).
-- Run as the PL/pgSQL function reports_place (reports/sql_functions.py, made from this
-- file at every migrate) so that it is planned once per connection, not at every filing.
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
SELECT json_build_object(
    'jurisdiction', (SELECT row_to_json(j) FROM jurisdiction j),
    'areas', (SELECT json_agg(areas) FROM areas),
    'team', (SELECT row_to_json(team) FROM team)
)
