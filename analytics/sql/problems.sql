-- The CTEs every report analysis starts from. `lineage` pairs every area with its
-- ancestor (or itself) at the requested level: of the current boundary generation
-- (%(generation)s), or of every generation when reports count in the areas they were
-- filed in (%(filed)s). `problems` are the reports that count as separate problems (not
-- hidden, not a duplicate), placed in an area of that level through their stored
-- section/commune/département, or by point-in-polygon on the subdivided boundaries of
-- the current generation when none of those is known at that level (or they belong to
-- an older generation and areas are current); with an area, only the reports inside it
-- (`scope` = the area and its descendants; `= ANY(ARRAY(...))` lets the foreign-key
-- indexes find them); for a scoped actor, only the reports of their territory
-- (territory.sql); and a further condition when given (the rates rollup's live part). All
-- values are bound parameters.
WITH RECURSIVE lineage AS (
    -- Not recursive: the hierarchy is at most five levels deep, and a plain join lets the
    -- planner estimate it and scan the reports in parallel.
    SELECT area_id, top_id FROM (
        SELECT a.id AS area_id,
               CASE %(level)s WHEN a.level THEN a.id WHEN p1.level THEN p1.id
                              WHEN p2.level THEN p2.id WHEN p3.level THEN p3.id
                              WHEN p4.level THEN p4.id END AS top_id
        FROM layers_adminarea a
        LEFT JOIN layers_adminarea p1 ON p1.id = a.parent_id
        LEFT JOIN layers_adminarea p2 ON p2.id = p1.parent_id
        LEFT JOIN layers_adminarea p3 ON p3.id = p2.parent_id
        LEFT JOIN layers_adminarea p4 ON p4.id = p3.parent_id
        WHERE %(filed)s OR a.generation_id = %(generation)s
    ) chain
    WHERE top_id IS NOT NULL
),
scope(id) AS (
    SELECT id FROM layers_adminarea
    WHERE pcode = %(area)s AND (%(filed)s OR generation_id = %(generation)s)
    UNION ALL
    SELECT c.id FROM layers_adminarea c JOIN scope s ON c.parent_id = s.id
),
{territory},
problems AS (
    SELECT r.id, r.status, r.created_at, r.resolved_at, r.location, c.code AS category,
           -- The category's time to fix, else the jurisdiction's default (as on filing).
           coalesce(c.sla_hours, j.sla_hours) AS sla_hours,
           coalesce(l.top_id, (
               SELECT p.area_id FROM layers_adminareapart p
               WHERE p.generation_id = %(generation)s AND p.level = %(level)s
                 AND ST_Intersects(p.geom, r.location)
               ORDER BY p.area_id LIMIT 1)) AS top_id
    FROM reports_report r
    JOIN reports_category c ON c.id = r.category_id
    LEFT JOIN communes_jurisdiction j ON j.id = r.jurisdiction_id
    LEFT JOIN lineage l ON l.area_id = coalesce(r.section_id, r.commune_id, r.departement_id)
    WHERE NOT r.hidden
      AND r.duplicate_of_id IS NULL
      AND r.status <> 'duplicate'
      AND (%(categories)s::text[] IS NULL OR c.code = ANY(%(categories)s::text[]))
      AND (%(statuses)s::text[] IS NULL OR r.status = ANY(%(statuses)s::text[]))
      AND (%(since)s::timestamptz IS NULL OR r.created_at >= %(since)s::timestamptz)
      AND (%(until)s::timestamptz IS NULL OR r.created_at < %(until)s::timestamptz)
      AND (%(area)s::text IS NULL
           OR r.section_id = ANY(ARRAY(SELECT id FROM scope))
           OR r.commune_id = ANY(ARRAY(SELECT id FROM scope))
           OR r.departement_id = ANY(ARRAY(SELECT id FROM scope))
           -- Placed by its point only when its stored area is not in `lineage`: no
           -- section, or one of an older generation. The planner copies this OR onto
           -- the scan of the reports without the join's `l.area_id IS NULL`; the test on
           -- r's own section keeps the point-in-polygon from running for every report
           -- outside the area (DBSCAN over 1M reports: 50 s), and is indexed, so the
           -- scan is a bitmap OR of the foreign-key indexes.
           OR (l.area_id IS NULL
               AND (r.section_id IS NULL
                    OR r.section_id = ANY(ARRAY(SELECT id FROM layers_adminarea
                                                WHERE level = 'section' AND NOT %(filed)s
                                                  AND generation_id <> %(generation)s)))
               AND NOT (%(filed)s AND coalesce(r.section_id, r.commune_id, r.departement_id) IS NOT NULL)
               AND EXISTS (SELECT 1 FROM layers_adminareapart p
                           JOIN layers_adminarea a ON a.id = p.area_id
                           WHERE p.generation_id = %(generation)s AND a.pcode = %(area)s
                             AND ST_Intersects(p.geom, r.location))))
      AND (%(communes)s::text[] IS NULL
           OR r.commune_id = ANY(ARRAY(SELECT id FROM territory))
           OR r.section_id = ANY(ARRAY(SELECT id FROM territory))
           OR (r.commune_id IS NULL AND r.section_id IS NULL
               AND EXISTS (SELECT 1 FROM layers_adminareapart p
                           JOIN layers_adminarea a ON a.id = p.area_id
                           WHERE p.generation_id = %(generation)s AND p.level = 'commune'
                             AND a.pcode = ANY(%(communes)s::text[])
                             AND ST_Intersects(p.geom, r.location))))
      {restrict}
)
