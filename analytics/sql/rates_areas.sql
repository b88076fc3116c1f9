-- The areas a rollup read of the rates answers for (rates.sql's `areas`, current
-- boundaries): the level's areas of the current generation in the area's scope and the
-- actor's territory, and the areas the counted reports fell in (%(tops)s).
WITH RECURSIVE scope(id) AS (
    SELECT id FROM layers_adminarea WHERE pcode = %(area)s AND generation_id = %(generation)s
    UNION ALL
    SELECT c.id FROM layers_adminarea c JOIN scope s ON c.parent_id = s.id
),
{territory}
SELECT a.id, a.pcode, a.level, a.name_fr, a.name_ht, a.name_en, a.parent_pcode AS parent,
       a.generation_id AS generation, a.population,
       ST_AsGeoJSON(coalesce({geom}, a.geom), {precision}) AS geometry
FROM layers_adminarea a
WHERE a.id = ANY(%(tops)s::bigint[])
   OR (a.level = %(level)s AND a.generation_id = %(generation)s
       AND (%(area)s::text IS NULL OR a.id IN (SELECT id FROM scope))
       AND (%(communes)s::text[] IS NULL OR a.id IN (SELECT id FROM territory)
            OR a.id IN (SELECT id FROM above)))
ORDER BY a.pcode, a.generation_id
