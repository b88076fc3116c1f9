-- One page of a layer's features as GeoJSON Feature texts joined by commas, built in
-- PostGIS by string concatenation (cheaper than building and re-parsing json values);
-- the view wraps them in a FeatureCollection and streams it. The page is chosen on ids
-- alone (an index-only scan of (layer_id, id) when there is no filter), so that a deep
-- offset skips index entries rather than whole rows; one row more than the page is read
-- to know whether there is a next page. %(hidden)s are the private attributes; %(nulls)s
-- every visible attribute as null, so that none is left out of a feature.
SELECT string_agg(
           '{"type":"Feature","id":' || f.id
           || ',"geometry":' || ST_AsGeoJSON(f.geom, 7)
           || ',"properties":' || (%(nulls)s::jsonb || (f.attributes - %(hidden)s::text[])
                || jsonb_build_object('condition', f.condition, 'area', a.pcode,
                                      'updated', f.updated_at))::text
           || '}',
           ',' ORDER BY f.id
       ) FILTER (WHERE p.rn <= %(limit)s),
       count(*)
FROM (
    SELECT q.id, row_number() OVER (ORDER BY q.id) AS rn
    FROM (
        SELECT f.id
        FROM layers_feature f
        WHERE f.layer_id = %(layer)s
          AND (%(xmin)s::float8 IS NULL
               OR ST_Intersects(f.geom, ST_MakeEnvelope(%(xmin)s, %(ymin)s, %(xmax)s, %(ymax)s, 4326)))
          AND (%(filter)s::jsonb IS NULL OR f.attributes @> %(filter)s::jsonb)
          AND (%(condition)s::text IS NULL OR f.condition = %(condition)s)
          AND (%(since)s::timestamptz IS NULL OR f.updated_at >= %(since)s)
          AND (%(until)s::timestamptz IS NULL OR f.updated_at <= %(until)s)
        ORDER BY f.id
        LIMIT %(limit)s + 1 OFFSET %(offset)s
    ) q
) p
-- OFFSET 0 keeps the lookup per id (by primary key): joined, the planner may scan the table.
CROSS JOIN LATERAL (SELECT * FROM layers_feature f WHERE f.id = p.id OFFSET 0) f
LEFT JOIN layers_adminarea a ON a.id = f.area_id
