-- How many of the given geometries fall outside every administrative area of the
-- current generation.
SELECT count(*)
FROM unnest(%(geoms)s::bytea[]) AS t(g)
WHERE NOT EXISTS (
    SELECT 1 FROM layers_adminareapart p
    WHERE p.generation_id = %(generation)s
      AND ST_Intersects(p.geom, ST_PointOnSurface(ST_GeomFromEWKB(t.g)))
)
