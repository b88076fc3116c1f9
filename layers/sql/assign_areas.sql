-- Sets each feature's area to the deepest administrative area of a generation containing
-- it (a point on its surface), in one statement for a whole import or a whole new
-- generation, on the subdivided pieces (GiST on generation, geom).
-- The lowest P-code wins on a shared border, as in lookup.sql.
UPDATE layers_feature f
SET area_id = (
    SELECT a.id
    FROM layers_adminareapart p
    JOIN layers_adminarea a ON a.id = p.area_id
    WHERE p.generation_id = %(generation)s AND ST_Intersects(p.geom, ST_PointOnSurface(f.geom))
    ORDER BY CASE a.level WHEN 'section' THEN 0 WHEN 'commune' THEN 1
                          WHEN 'arrondissement' THEN 2 WHEN 'departement' THEN 3 ELSE 4 END,
             a.pcode
    LIMIT 1
)
WHERE (%(layer)s::bigint IS NULL OR f.layer_id = %(layer)s)
  AND (%(ids)s::bigint[] IS NULL OR f.id = ANY(%(ids)s::bigint[]))
