-- The sections of the current boundary generation a project's geometry touches, on the
-- subdivided pieces (GiST on generation, geom): a road crossing three sections touches
-- all three, and its money is shared between them (money_by_area.sql).
SELECT DISTINCT p.area_id AS id
FROM layers_adminareapart p
WHERE p.generation_id = %(generation)s
  AND p.level = 'section'
  AND ST_Intersects(p.geom, ST_GeomFromEWKB(%(geom)s))
