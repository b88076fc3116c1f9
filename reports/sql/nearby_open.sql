-- Open, visible reports of one category within a radius in metres: ST_DWithin on
-- geography measures true metres (the geometry column is in degrees).
SELECT r.id
FROM reports_report r
WHERE r.category_id = %(category)s
  AND r.status = ANY(%(open)s)
  AND NOT r.hidden
  AND ST_DWithin(
        r.location::geography,
        ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography,
        %(radius)s)
ORDER BY r.location::geography <-> ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography
LIMIT %(limit)s
