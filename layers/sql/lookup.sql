-- The areas of one generation containing a point, one per level, found on the subdivided
-- pieces (GiST on generation, geom). On a shared border the lowest P-code wins, so that
-- the answer is stable. No generation given: the current one (the newest), found here
-- rather than in a query of its own, as the lookup is the hottest read.
SELECT DISTINCT ON (a.level) a.id, a.pcode, a.level, a.name_fr, a.name_ht, a.name_en, a.derived,
       a.generation_id
FROM layers_adminareapart p
JOIN layers_adminarea a ON a.id = p.area_id
WHERE p.generation_id = coalesce(%(generation)s, (SELECT max(id) FROM layers_boundarygeneration))
  AND ST_Intersects(p.geom, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326))
ORDER BY a.level, a.pcode
