-- A GeoJSON FeatureCollection of areas, built in PostGIS (json_agg) rather than one
-- feature at a time in Python. {geom} and {precision} are chosen from a fixed list by
-- the selector; every value is a bound parameter.
SELECT json_build_object(
    'type', 'FeatureCollection',
    'features', coalesce(json_agg(f.feature ORDER BY f.pcode), '[]'::json)
)::text
FROM (
    SELECT a.pcode, json_build_object(
        'type', 'Feature',
        'id', a.pcode,
        'geometry', ST_AsGeoJSON({geom}, {precision})::json,
        'properties', json_build_object(
            'pcode', a.pcode,
            'level', a.level,
            'name', coalesce(nullif(CASE %(lang)s WHEN 'ht' THEN a.name_ht
                                                 WHEN 'en' THEN a.name_en
                                                 ELSE a.name_fr END, ''), a.name_fr),
            'name_fr', a.name_fr,
            'name_ht', a.name_ht,
            'name_en', a.name_en,
            'parent', nullif(a.parent_pcode, ''),
            'derived', a.derived,
            'population', a.population,
            'population_year', a.population_year,
            'area_km2', round(a.area_km2::numeric, 3)
        )
    ) AS feature
    FROM layers_adminarea a
    WHERE a.generation_id = %(generation)s
      AND (%(level)s::text IS NULL OR a.level = %(level)s)
      AND (%(parent)s::text IS NULL OR a.parent_pcode = %(parent)s)
      AND (%(xmin)s::float8 IS NULL OR a.geom && ST_MakeEnvelope(%(xmin)s, %(ymin)s, %(xmax)s, %(ymax)s, 4326))
) f
