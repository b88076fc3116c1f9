-- Every name a message may give as a place, with a point, how far off that point may be
-- (metres) and the commune it lies in: sections and communes of the current boundary
-- generation (radius of a disc of the same area), GeoNames places, and named features of
-- public layers (schools, water points). Built in one query; kept in memory by its version.
WITH generation AS (
    SELECT max(id) AS id FROM layers_boundarygeneration
), communes AS (
    SELECT a.pcode, a.geom
    FROM layers_adminarea a, generation g
    WHERE a.generation_id = g.id AND a.level = 'commune'
)
SELECT a.level AS kind, concat_ws('|', a.name_fr, nullif(a.name_ht, ''), nullif(a.name_en, '')) AS names,
       a.name_fr AS label, ST_X(ST_PointOnSurface(a.geom)) AS lon, ST_Y(ST_PointOnSurface(a.geom)) AS lat,
       round(sqrt(ST_Area(a.geom::geography) / pi()))::int AS uncertainty_m,
       CASE WHEN a.level = 'commune' THEN a.pcode ELSE a.parent_pcode END AS commune
FROM layers_adminarea a, generation g
WHERE a.generation_id = g.id AND a.level IN ('commune', 'section')
UNION ALL
SELECT 'place', concat_ws('|', p.name, nullif(p.alternate_names, '')), p.name,
       ST_X(p.location), ST_Y(p.location), %(place_m)s, c.pcode
FROM frontend_place p
LEFT JOIN LATERAL (
    SELECT pcode FROM communes WHERE ST_Intersects(communes.geom, p.location) LIMIT 1
) c ON true
UNION ALL
SELECT 'feature', concat_ws('|', f.attributes->>'name', f.attributes->>'name_fr', f.attributes->>'name_ht'),
       f.attributes->>'name', ST_X(ST_PointOnSurface(f.geom)), ST_Y(ST_PointOnSurface(f.geom)),
       %(feature_m)s, c.pcode
FROM layers_feature f
JOIN layers_layer l ON l.id = f.layer_id AND l.visibility = 'public'
LEFT JOIN LATERAL (
    SELECT pcode FROM communes WHERE ST_Intersects(communes.geom, f.geom) LIMIT 1
) c ON true
WHERE coalesce(f.attributes->>'name', '') <> ''
