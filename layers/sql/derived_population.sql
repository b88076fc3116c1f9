-- A derived area (an arrondissement) has the population of its children, when all of
-- them have one (within one generation: parents never cross generations).
UPDATE layers_adminarea a
SET population = s.total, population_source = s.source, population_year = s.year
FROM (
    SELECT parent_id, sum(population) AS total, max(population_source) AS source,
           max(population_year) AS year, bool_and(population IS NOT NULL) AS complete
    FROM layers_adminarea
    WHERE parent_id IS NOT NULL AND generation_id = %(generation)s
    GROUP BY parent_id
) s
WHERE a.id = s.parent_id AND a.derived AND s.complete;
