-- The features of a layer nearest to a point within a radius, with their distance in
-- metres (KNN on GiST; ST_DWithin on geography so that the radius is in metres). The box
-- that holds the circle (layers.geometry.box_around) bounds the KNN scan: without it a
-- point with fewer assets around than the limit walked the whole layer.
SELECT f.id, f.external_id, f.condition, f.attributes,
       ST_X(ST_PointOnSurface(f.geom)) AS lon, ST_Y(ST_PointOnSurface(f.geom)) AS lat,
       ST_Distance(f.geom::geography,
                   ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography) AS distance_m
FROM layers_feature f
WHERE f.layer_id = %(layer)s
  AND f.geom && ST_MakeEnvelope(%(xmin)s, %(ymin)s, %(xmax)s, %(ymax)s, 4326)
  AND ST_DWithin(f.geom::geography,
                 ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography, %(radius)s)
ORDER BY f.geom <-> ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)
LIMIT %(limit)s
