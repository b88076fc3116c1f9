-- Places an Open311 address_string when no lat/long is sent: the deepest administrative
-- area of the current generation whose name appears in the address (no street geocoder is available offline).
SELECT a.pcode, a.level,
       ST_X(ST_PointOnSurface(a.geom)) AS lon, ST_Y(ST_PointOnSurface(a.geom)) AS lat
FROM layers_adminarea a
WHERE a.generation_id = %(generation)s
  AND a.level IN ('commune', 'section')
  AND length(a.name_fr) >= 4
  AND position(lower(a.name_fr) IN lower(%(address)s)) > 0
ORDER BY (a.level = 'section') DESC, length(a.name_fr) DESC, a.pcode
LIMIT 1
