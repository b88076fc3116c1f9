-- How many of the given geometries fall outside every administrative area we hold (or
-- farther than %(margin)s degrees from all of them); with
-- %(flip)s, as if their x and y were swapped (to tell a file whose lat/lon columns are).
SELECT count(*)
FROM unnest(%(geoms)s::bytea[]) AS t(g)
CROSS JOIN LATERAL (
    SELECT CASE WHEN %(flip)s THEN ST_FlipCoordinates(ST_GeomFromEWKB(t.g))
                ELSE ST_GeomFromEWKB(t.g) END AS geom
) AS candidate
WHERE NOT EXISTS (
    SELECT 1 FROM layers_adminareapart p
    WHERE ST_DWithin(p.geom, ST_PointOnSurface(candidate.geom), %(margin)s)
)
