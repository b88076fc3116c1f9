-- Sets each feature's area to the deepest administrative area containing it (a point on
-- its surface), in one statement for a whole import, on the subdivided pieces (GiST).
-- The lowest P-code wins on a shared border, as in lookup.sql.
UPDATE layers_feature f
SET area_id = (
    SELECT a.id
    FROM layers_adminareapart p
    JOIN layers_adminarea a ON a.id = p.area_id
    WHERE ST_Intersects(p.geom, ST_PointOnSurface(f.geom))
    ORDER BY CASE a.level WHEN 'section' THEN 0 WHEN 'commune' THEN 1
                          WHEN 'arrondissement' THEN 2 WHEN 'departement' THEN 3 ELSE 4 END,
             a.pcode
    LIMIT 1
)
WHERE f.layer_id = %(layer)s
  AND (%(ids)s::bigint[] IS NULL OR f.id = ANY(%(ids)s::bigint[]))
