-- An area of the new generation whose P-code and boundary are those of the previous
-- generation keeps its population; a changed or new area waits for a population release.
UPDATE layers_adminarea a
SET population = p.population, population_source = p.population_source,
    population_year = p.population_year
FROM layers_adminarea p
WHERE a.generation_id = %(generation)s AND p.generation_id = %(previous)s
  AND p.pcode = a.pcode AND a.population IS NULL AND p.population IS NOT NULL
  AND NOT a.derived AND ST_Equals(a.geom, p.geom)
