-- How many areas of a level the filters of areas_page.sql match (numberMatched).
SELECT count(*)
FROM layers_adminarea a
WHERE a.level = %(level)s
  AND (%(pcode)s::text IS NULL OR a.pcode = %(pcode)s)
  AND (%(xmin)s::float8 IS NULL
       OR ST_Intersects(a.geom, ST_MakeEnvelope(%(xmin)s, %(ymin)s, %(xmax)s, %(ymax)s, 4326)))
  AND (%(since)s::date IS NULL OR a.valid_on >= %(since)s::date)
  AND (%(until)s::date IS NULL OR a.valid_on <= %(until)s::date)
