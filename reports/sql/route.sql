-- The team of a new report: among the rules of its jurisdiction and the national ones
-- (jurisdiction empty) that match its category (or any) and one of its areas by P-code
-- (or any area), for a team that is national or the jurisdiction's own, the most
-- specific: the jurisdiction's rule first, then the one naming the category, then the
-- deepest area (levels from the country down, a rule without an area last); on a tie the
-- oldest rule. A rule names its area by P-code so that it keeps routing after a new
-- boundary generation, whose rows are new.
-- A template (str.format): the jurisdiction's id and a query of the P-codes of the
-- report's areas are filled in, from parameters (reports/services/routing.py) or from
-- the lookup of reports/sql/place.sql, which places a new report in one query.
SELECT t.*
FROM reports_routingrule rr
JOIN reports_team t ON t.id = rr.team_id
LEFT JOIN layers_adminarea a ON a.id = rr.area_id
WHERE (rr.jurisdiction_id = {jurisdiction} OR rr.jurisdiction_id IS NULL)
  AND (rr.category_id = %(category)s OR rr.category_id IS NULL)
  AND (rr.area_id IS NULL
       OR a.pcode IN ({area_pcodes}))
  AND (t.jurisdiction_id IS NULL OR t.jurisdiction_id = {jurisdiction})
ORDER BY rr.jurisdiction_id IS NOT NULL DESC,
         rr.category_id IS NOT NULL DESC,
         coalesce(array_position(%(levels)s::text[], a.level::text), 0) DESC,
         rr.id
LIMIT 1
