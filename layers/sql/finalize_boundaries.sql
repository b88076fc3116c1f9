-- Everything computed from the loaded boundaries of one generation, rebuilt in the
-- loader's transaction. Parents are looked up within the same generation.

-- Parents from P-codes.
UPDATE layers_adminarea a SET parent_id = p.id
FROM layers_adminarea p
WHERE a.generation_id = %(generation)s AND p.generation_id = %(generation)s
  AND p.pcode = a.parent_pcode AND a.parent_id IS DISTINCT FROM p.id;
UPDATE layers_adminarea a SET parent_id = NULL
WHERE a.generation_id = %(generation)s AND a.parent_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM layers_adminarea p
                  WHERE p.generation_id = %(generation)s AND p.pcode = a.parent_pcode);

-- Area on the ellipsoid, and geometries simplified once for national (low), regional
-- (mid) and local (high) maps instead of on every request.
UPDATE layers_adminarea SET
    area_km2 = ST_Area(geom::geography) / 1e6,
    geom_low = ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SimplifyPreserveTopology(geom, 0.01)), 3)),
    geom_mid = ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SimplifyPreserveTopology(geom, 0.002)), 3)),
    geom_high = ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SimplifyPreserveTopology(geom, 0.0004)), 3))
WHERE generation_id = %(generation)s;

-- Point-in-polygon runs on small subdivided pieces (at most 128 vertices each).
DELETE FROM layers_adminareapart WHERE generation_id = %(generation)s;
INSERT INTO layers_adminareapart (area_id, generation_id, level, geom)
SELECT id, %(generation)s, level, piece
FROM (SELECT id, level, (ST_Dump(ST_Subdivide(geom, 128))).geom AS piece
      FROM layers_adminarea WHERE generation_id = %(generation)s) s
WHERE GeometryType(piece) = 'POLYGON';
ANALYZE layers_adminareapart;
