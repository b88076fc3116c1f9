-- Public reports as one GeoJSON FeatureCollection, assembled in PostGIS (json_agg) rather
-- than feature by feature in Python. Public fields only; hidden reports left out.
SELECT json_build_object(
    'type', 'FeatureCollection',
    'features', COALESCE(json_agg(f.feature), '[]'::json)
)::text
FROM (
    SELECT json_build_object(
        'type', 'Feature',
        'id', r.reference,
        'geometry', ST_AsGeoJSON(r.location, 6)::json,
        'properties', json_build_object(
            'reference', r.reference,
            'status', r.status,
            'status_group', CASE WHEN r.status = ANY(%(open)s) THEN 'open' ELSE 'closed' END,
            'category', c.code,
            'created_at', r.created_at,
            'support_count', r.support_count
        )
    ) AS feature
    FROM reports_report r
    JOIN reports_category c ON c.id = r.category_id
    WHERE NOT r.hidden
      AND (%(xmin)s::float8 IS NULL
           OR r.location && ST_MakeEnvelope(%(xmin)s, %(ymin)s, %(xmax)s, %(ymax)s, 4326))
      AND (%(categories)s::text[] IS NULL OR c.code = ANY(%(categories)s))
      AND (%(statuses)s::text[] IS NULL OR r.status = ANY(%(statuses)s))
      AND (%(area_ids)s::bigint[] IS NULL
           OR r.section_id = ANY(%(area_ids)s)
           OR r.commune_id = ANY(%(area_ids)s)
           OR r.departement_id = ANY(%(area_ids)s))
      AND (%(jurisdiction)s::bigint IS NULL OR r.jurisdiction_id = %(jurisdiction)s)
      AND (%(after)s::timestamptz IS NULL OR r.created_at >= %(after)s)
      AND (%(before)s::timestamptz IS NULL OR r.created_at <= %(before)s)
    ORDER BY r.created_at DESC, r.id DESC
    LIMIT %(limit)s
) f
