-- A new generation starts with the areas of the previous one at the levels this release
-- does not bring (e.g. départements when only communes and sections are published anew);
-- derived areas are left out when they are derived again.
INSERT INTO layers_adminarea (
    generation_id, level, pcode, parent_pcode, name_fr, name_ht, name_en, derived, geom,
    population, population_source, population_year, source, valid_on, updated_at
)
SELECT %(generation)s, level, pcode, parent_pcode, name_fr, name_ht, name_en, derived, geom,
       population, population_source, population_year, source, valid_on, now()
FROM layers_adminarea
WHERE generation_id = %(previous)s
  AND NOT (level = ANY(%(loaded_levels)s::text[]))
  AND NOT (derived AND %(rederive)s)
