-- A scoped actor's territory (%(communes)s: the commune P-codes of their jurisdictions;
-- NULL for a national actor, and both CTEs are then empty). `territory`: those communes
-- and everything below them, in every boundary generation (a P-code names the same place
-- across releases, so reports filed in older areas stay in scope); `above`: those
-- communes and their ancestors (a commune planner's département row, counting only the
-- reports of their communes).
territory(id) AS (
    SELECT id FROM layers_adminarea
    WHERE level = 'commune' AND pcode = ANY(%(communes)s::text[])
    UNION ALL
    SELECT c.id FROM layers_adminarea c JOIN territory t ON c.parent_id = t.id
),
above(id, parent_id) AS (
    SELECT id, parent_id FROM layers_adminarea
    WHERE level = 'commune' AND pcode = ANY(%(communes)s::text[])
    UNION ALL
    SELECT a.id, a.parent_id FROM layers_adminarea a JOIN above b ON a.id = b.parent_id
)
