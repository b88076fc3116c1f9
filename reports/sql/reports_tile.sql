    -- Reports for the tile source "reports" (layers/sql/tile.sql wraps this SELECT):
    -- public fields only (never contact details, notes or the tracking token), hidden
    -- reports left out. The status group comes from reports/workflow.py as a parameter.
    SELECT r.id,
           r.location AS geom,
           r.reference,
           r.status::text AS status,
           CASE WHEN r.status = ANY(%(open)s) THEN 'open' ELSE 'closed' END AS status_group,
           c.code::text AS category,
           to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS created_at,
           r.support_count
    FROM reports_report r
    JOIN reports_category c ON c.id = r.category_id, tile
    WHERE NOT r.hidden AND r.location && tile.env4326
