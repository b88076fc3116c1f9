-- The areas of one level (optionally inside an area): full geometry as WKB for exact
-- computations, and a pre-simplified GeoJSON for display.
WITH RECURSIVE scope(id) AS (
    SELECT id FROM layers_adminarea WHERE generation_id = %(generation)s AND pcode = %(area)s
    UNION ALL
    SELECT c.id FROM layers_adminarea c JOIN scope s ON c.parent_id = s.id
)
SELECT a.id, a.pcode, a.level, a.name_fr, a.name_ht, a.name_en, a.population,
       ST_AsBinary(a.geom) AS wkb,
       ST_AsGeoJSON(coalesce({geom}, a.geom), {precision}) AS geometry
FROM layers_adminarea a
WHERE a.generation_id = %(generation)s AND a.level = %(level)s AND (%(area)s::text IS NULL OR a.id IN (SELECT id FROM scope))
ORDER BY a.pcode
