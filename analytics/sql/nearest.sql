-- The facilities of a layer nearest to a point: candidates by the GiST index's KNN
-- order (in degrees), then exact geodesic distances re-ranked.
SELECT f.id AS feature_id, f.external_id, coalesce(f.attributes->>'name', '') AS name,
       f.condition,
       round(ST_Distance(f.geom::geography, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography)::numeric, 1) AS distance_m,
       ST_AsGeoJSON(f.geom, 6) AS geometry
FROM (
    SELECT * FROM layers_feature
    WHERE layer_id = %(layer)s
    ORDER BY geom <-> ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)
    LIMIT %(candidates)s
) f
WHERE %(max_distance)s::float8 IS NULL
   OR ST_DWithin(f.geom::geography, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography, %(max_distance)s)
ORDER BY distance_m, f.id
LIMIT %(limit)s
