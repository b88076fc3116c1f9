-- How many features of a layer the filters of features_page.sql match (numberMatched).
SELECT count(*)
FROM layers_feature f
WHERE f.layer_id = %(layer)s
  AND (%(xmin)s::float8 IS NULL
       OR ST_Intersects(f.geom, ST_MakeEnvelope(%(xmin)s, %(ymin)s, %(xmax)s, %(ymax)s, 4326)))
  AND (%(filter)s::jsonb IS NULL OR f.attributes @> %(filter)s::jsonb)
  AND (%(condition)s::text IS NULL OR f.condition = %(condition)s)
  AND (%(since)s::timestamptz IS NULL OR f.updated_at >= %(since)s)
  AND (%(until)s::timestamptz IS NULL OR f.updated_at <= %(until)s)
