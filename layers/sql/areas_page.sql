-- One page of administrative areas of a level as GeoJSON Feature texts (OGC API items).
SELECT string_agg(
           '{"type":"Feature","id":' || to_json(p.pcode)::text
           || ',"geometry":' || ST_AsGeoJSON(p.geom, 6)
           || ',"properties":' || p.properties::text || '}',
           ',' ORDER BY p.pcode
       ) FILTER (WHERE p.rn <= %(limit)s),
       count(*)
FROM (
    SELECT q.*, row_number() OVER (ORDER BY q.pcode) AS rn FROM (
        SELECT a.pcode, a.geom,
               json_build_object('pcode', a.pcode, 'level', a.level, 'name_fr', a.name_fr,
                                 'name_ht', a.name_ht, 'name_en', a.name_en,
                                 'parent', nullif(a.parent_pcode, ''), 'derived', a.derived,
                                 'population', a.population, 'area_km2', round(a.area_km2::numeric, 3),
                                 'valid_on', a.valid_on) AS properties
        FROM layers_adminarea a
        WHERE a.generation_id = %(generation)s AND a.level = %(level)s
          AND (%(pcode)s::text IS NULL OR a.pcode = %(pcode)s)
          AND (%(xmin)s::float8 IS NULL
               OR ST_Intersects(a.geom, ST_MakeEnvelope(%(xmin)s, %(ymin)s, %(xmax)s, %(ymax)s, 4326)))
          AND (%(since)s::date IS NULL OR a.valid_on >= %(since)s::date)
          AND (%(until)s::date IS NULL OR a.valid_on <= %(until)s::date)
        ORDER BY a.pcode
        LIMIT %(limit)s + 1 OFFSET %(offset)s
    ) q
) p
