-- Upserts a batch of features by external id in one statement (a partial unique index
-- cannot be targeted by Django's bulk_create). Geometries arrive as EWKB in EPSG:4326,
-- already checked. A feature whose geometry, attributes and condition are unchanged is
-- not touched (its updated_at stays: re-importing a file changes nothing) and is not
-- returned. xmax = 0 tells an insert from an update.
INSERT INTO layers_feature (layer_id, geom, attributes, external_id, condition, created_at, updated_at)
SELECT %(layer)s, ST_GeomFromEWKB(g), a, e, coalesce(c, 'unknown'), now(), now()
FROM unnest(%(geoms)s::bytea[], %(attributes)s::jsonb[], %(ids)s::text[], %(conditions)s::text[])
     AS t(g, a, e, c)
ON CONFLICT (layer_id, external_id) WHERE NOT (external_id = '')
DO UPDATE SET geom = EXCLUDED.geom,
              attributes = EXCLUDED.attributes,
              condition = CASE WHEN %(has_condition)s THEN EXCLUDED.condition
                               ELSE layers_feature.condition END,
              updated_at = now()
WHERE NOT ST_OrderingEquals(layers_feature.geom, EXCLUDED.geom)
   OR layers_feature.attributes IS DISTINCT FROM EXCLUDED.attributes
   OR (%(has_condition)s AND layers_feature.condition IS DISTINCT FROM EXCLUDED.condition)
RETURNING id, (xmax = 0) AS inserted
