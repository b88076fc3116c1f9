-- One page of projects as GeoJSON Feature texts (OGC API items), public fields only,
-- with their money in HTG (money_lines' rule: USD lines at their own rate).
SELECT string_agg(
           '{"type":"Feature","id":' || to_json(p.slug)::text
           || ',"geometry":' || ST_AsGeoJSON(p.geom, 6)
           || ',"properties":' || p.properties::text || '}',
           ',' ORDER BY p.slug
       ) FILTER (WHERE p.rn <= %(limit)s),
       count(*)
FROM (
    SELECT q.*, row_number() OVER (ORDER BY q.slug) AS rn FROM (
        SELECT p.slug, p.geom,
               json_build_object(
                   'slug', p.slug, 'title_fr', p.title_fr, 'title_ht', p.title_ht,
                   'title_en', p.title_en, 'sector', p.sector, 'status', p.status,
                   'percent_complete', p.percent_complete, 'contractor', p.contractor,
                   'jurisdiction', j.slug, 'planned_start', p.planned_start,
                   'planned_end', p.planned_end,
                   'planned_htg', (SELECT coalesce(sum(round(CASE WHEN b.currency = 'USD'
                        THEN b.planned * b.exchange_rate ELSE b.planned END, 2)), 0)
                        FROM projects_budgetline b WHERE b.project_id = p.id),
                   'spent_htg', (SELECT coalesce(sum(round(CASE WHEN b.currency = 'USD'
                        THEN b.spent * b.exchange_rate ELSE b.spent END, 2)), 0)
                        FROM projects_budgetline b WHERE b.project_id = p.id),
                   'sample', p.sample,
                   'updated', p.updated_at) AS properties
        FROM projects_project p
        JOIN communes_jurisdiction j ON j.id = p.jurisdiction_id
        WHERE (%(slug)s::text IS NULL OR p.slug = %(slug)s)
          AND (%(sector)s::text IS NULL OR p.sector = %(sector)s)
          AND (%(status)s::text IS NULL OR p.status = %(status)s)
          AND (%(xmin)s::float8 IS NULL
               OR ST_Intersects(p.geom, ST_MakeEnvelope(%(xmin)s, %(ymin)s, %(xmax)s, %(ymax)s, 4326)))
          AND (%(since)s::timestamptz IS NULL OR p.updated_at >= %(since)s::timestamptz)
          AND (%(until)s::timestamptz IS NULL OR p.updated_at <= %(until)s::timestamptz)
        ORDER BY p.slug
        LIMIT %(limit)s + 1 OFFSET %(offset)s
    ) q
) p
