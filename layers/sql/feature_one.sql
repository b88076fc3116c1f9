-- One feature as GeoJSON text, private attributes removed (%(hidden)s), every visible
-- attribute present (%(nulls)s: null unless the feature has a value).
SELECT '{"type":"Feature","id":' || f.id
       || ',"geometry":' || ST_AsGeoJSON(f.geom, 7)
       || ',"properties":' || (%(nulls)s::jsonb || (f.attributes - %(hidden)s::text[])
            || jsonb_build_object('condition', f.condition, 'area', a.pcode,
                                  'external_id', nullif(f.external_id, ''),
                                  'created', f.created_at, 'updated', f.updated_at))::text
       || '}'
FROM layers_feature f
LEFT JOIN layers_adminarea a ON a.id = f.area_id
WHERE f.layer_id = %(layer)s AND f.id = %(id)s
