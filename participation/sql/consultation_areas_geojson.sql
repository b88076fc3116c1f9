-- The consultation's areas as a FeatureCollection for its map, built in PostGIS
-- (the mid-detail boundary simplified at load time, else the full one).
SELECT json_build_object(
  'type', 'FeatureCollection',
  'features', coalesce(json_agg(json_build_object(
    'type', 'Feature', 'id', a.id,
    'geometry', ST_AsGeoJSON(coalesce(a.geom_high, a.geom), 6)::json,
    'properties', json_build_object('id', a.id, 'pcode', a.pcode, 'level', a.level,
                                    'name_fr', a.name_fr, 'name_ht', a.name_ht,
                                    'name_en', a.name_en)
  ) ORDER BY a.pcode), '[]'::json))::text
FROM layers_adminarea a
JOIN participation_consultation_areas ca ON ca.adminarea_id = a.id
WHERE ca.consultation_id = %(consultation)s
