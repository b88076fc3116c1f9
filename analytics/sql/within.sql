-- What lies in a region (a drawn polygon, or a circle around a point made with a
-- geodesic buffer): reports that count as problems, features of every layer, and areas.
-- Items are capped per type by %(limit)s; the counts are complete. A scoped actor sees
-- the reports, features and areas of their territory only (territory.sql).
WITH RECURSIVE {territory},
region AS (
    SELECT CASE WHEN %(wkt)s::text IS NOT NULL THEN ST_GeomFromText(%(wkt)s, 4326)
                ELSE ST_Buffer(ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography,
                               %(distance)s, 32)::geometry END AS geom
),
reports AS (
    SELECT 'report' AS type, r.id::text AS id, r.reference AS label, c.code AS subtype,
           r.status AS detail, r.created_at::text AS date,
           ST_AsGeoJSON(r.location, 6) AS geometry,
           row_number() OVER (ORDER BY r.created_at DESC, r.id) AS n
    FROM reports_report r JOIN reports_category c ON c.id = r.category_id, region g
    WHERE ST_Intersects(r.location, g.geom) AND NOT r.hidden
      AND r.duplicate_of_id IS NULL AND r.status <> 'duplicate'
      AND (%(communes)s::text[] IS NULL
           OR r.commune_id = ANY(ARRAY(SELECT id FROM territory))
           OR r.section_id = ANY(ARRAY(SELECT id FROM territory)))
),
features AS (
    SELECT 'feature' AS type, f.id::text, coalesce(nullif(f.attributes->>'name', ''), f.external_id, f.id::text),
           l.slug, f.condition, NULL::text, ST_AsGeoJSON(f.geom, 6),
           row_number() OVER (ORDER BY l.slug, f.id) AS n
    FROM layers_feature f JOIN layers_layer l ON l.id = f.layer_id, region g
    WHERE ST_Intersects(f.geom, g.geom)
      AND (%(communes)s::text[] IS NULL OR f.area_id = ANY(ARRAY(SELECT id FROM territory)))
),
areas AS (
    SELECT 'area' AS type, a.pcode, a.name_fr, a.level, a.parent_pcode, NULL::text,
           ST_AsGeoJSON(coalesce(a.geom_high, a.geom), 5),
           row_number() OVER (ORDER BY a.level, a.pcode) AS n
    FROM layers_adminarea a, region g
    WHERE a.generation_id = %(generation)s AND ST_Intersects(a.geom, g.geom)
      AND (%(communes)s::text[] IS NULL OR a.id IN (SELECT id FROM territory)
           OR a.id IN (SELECT id FROM above))
),
everything AS (
    SELECT * FROM reports UNION ALL SELECT * FROM features UNION ALL SELECT * FROM areas
)
SELECT type, id, label, subtype, detail, date,
       CASE WHEN n <= %(limit)s THEN geometry END AS geometry, n <= %(limit)s AS listed
FROM everything
ORDER BY type, n
