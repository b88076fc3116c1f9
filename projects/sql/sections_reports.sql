-- Sections of the given communes (current generation) with their population and the
-- public (not hidden) reports filed in them within the window, per 1,000 residents;
-- geometry simplified for a city map (geom_high).
SELECT a.pcode, a.name_fr, a.name_ht, a.name_en, a.parent_pcode AS commune, a.population,
       count(r.id) AS reports,
       round(count(r.id) * 1000.0 / NULLIF(a.population, 0), 3) AS reports_per_1000,
       ST_AsGeoJSON(coalesce(a.geom_high, a.geom), 5) AS geometry
FROM layers_adminarea a
LEFT JOIN reports_report r
  ON r.section_id = a.id AND NOT r.hidden
 AND (%(since)s::timestamptz IS NULL OR r.created_at >= %(since)s::timestamptz)
 AND (%(until)s::timestamptz IS NULL OR r.created_at < %(until)s::timestamptz)
WHERE a.generation_id = %(generation)s AND a.level = 'section'
  AND (a.parent_pcode = ANY(%(communes)s::text[]) OR a.pcode = ANY(%(communes)s::text[]))
GROUP BY a.id
ORDER BY a.pcode
