-- Reports as one MVT layer "reports": public fields only (never contact details, notes or
-- the tracking token), hidden reports left out. Bound z/x/y; geometry clipped in PostGIS.
WITH bounds AS (
    SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS env
),
rows AS (
    SELECT r.reference,
           r.status,
           CASE WHEN r.status = ANY(%(open)s) THEN 'open' ELSE 'closed' END AS status_group,
           c.code AS category,
           to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at,
           r.support_count,
           ST_AsMVTGeom(ST_Transform(r.location, 3857), bounds.env, 4096, 64, true) AS geom
    FROM reports_report r
    JOIN reports_category c ON c.id = r.category_id
    CROSS JOIN bounds
    WHERE NOT r.hidden
      AND r.location && ST_Transform(bounds.env, 4326)
)
SELECT ST_AsMVT(rows, 'reports', 4096, 'geom') FROM rows WHERE geom IS NOT NULL
