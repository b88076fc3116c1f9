-- Public projects as a GeoJSON FeatureCollection, built in PostGIS in one query, with
-- their spending in HTG (money_lines' rule: USD lines at their own rate).
WITH money AS (
    SELECT b.project_id,
           sum(round(CASE WHEN b.currency = 'USD' THEN b.planned * b.exchange_rate ELSE b.planned END, 2)) AS planned,
           sum(round(CASE WHEN b.currency = 'USD' THEN b.spent * b.exchange_rate ELSE b.spent END, 2)) AS spent
    FROM projects_budgetline b WHERE b.project_id = ANY(%(ids)s::bigint[])
    GROUP BY b.project_id
)
SELECT json_build_object(
    'type', 'FeatureCollection',
    'features', coalesce(json_agg(json_build_object(
        'type', 'Feature',
        'id', p.slug,
        'geometry', ST_AsGeoJSON(p.geom, 6)::json,
        'properties', json_build_object(
            'slug', p.slug,
            'title', coalesce(CASE %(lang)s WHEN 'ht' THEN nullif(p.title_ht, '')
                                            WHEN 'en' THEN nullif(p.title_en, '') END,
                              p.title_fr),
            'title_fr', p.title_fr,
            'sector', p.sector,
            'status', p.status,
            'percent_complete', p.percent_complete,
            'contractor', p.contractor,
            'jurisdiction', j.slug,
            'planned_htg', coalesce(m.planned, 0)::text,
            'spent_htg', coalesce(m.spent, 0)::text,
            'sample', p.sample)
    ) ORDER BY p.slug), '[]'::json))::text
FROM projects_project p
JOIN communes_jurisdiction j ON j.id = p.jurisdiction_id
LEFT JOIN money m ON m.project_id = p.id
WHERE p.id = ANY(%(ids)s::bigint[])
