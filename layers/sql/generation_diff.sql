-- What changed between two generations, matched by P-code: areas that appeared or
-- disappeared, were renamed, changed parent or changed shape (with the change of area on
-- the ellipsoid). Byte-equal geometries (carried over or reloaded unchanged) are not
-- compared further; others with ST_Equals, so a mere reordering of vertices is no change.
-- The geometry columns are chosen by the selector from a fixed list.
WITH old AS (
    SELECT * FROM layers_adminarea
    WHERE generation_id = %(old)s AND (%(level)s::text IS NULL OR level = %(level)s)
),
new AS (
    SELECT * FROM layers_adminarea
    WHERE generation_id = %(new)s AND (%(level)s::text IS NULL OR level = %(level)s)
),
pairs AS (
    SELECT coalesce(n.pcode, o.pcode) AS pcode,
           coalesce(n.level, o.level) AS level,
           CASE WHEN o.id IS NULL THEN 'appeared'
                WHEN n.id IS NULL THEN 'disappeared'
                ELSE 'changed' END AS change,
           o.name_fr AS old_name_fr, n.name_fr AS new_name_fr,
           o.id IS NOT NULL AND n.id IS NOT NULL
               AND (o.name_fr, o.name_ht, o.name_en) IS DISTINCT FROM (n.name_fr, n.name_ht, n.name_en)
               AS renamed,
           o.id IS NOT NULL AND n.id IS NOT NULL AND o.parent_pcode <> n.parent_pcode
               AS parent_changed,
           nullif(o.parent_pcode, '') AS old_parent, nullif(n.parent_pcode, '') AS new_parent,
           o.id IS NOT NULL AND n.id IS NOT NULL
               AND NOT (ST_AsEWKB(o.geom) = ST_AsEWKB(n.geom) OR ST_Equals(o.geom, n.geom))
               AS reshaped,
           o.area_km2 AS old_area_km2, n.area_km2 AS new_area_km2,
           CASE WHEN n.id IS NULL THEN {old_geom} ELSE {new_geom} END AS geom
    FROM old o FULL OUTER JOIN new n ON n.pcode = o.pcode
)
SELECT pcode, level, change, old_name_fr, new_name_fr, renamed, parent_changed, old_parent,
       new_parent, reshaped,
       round(old_area_km2::numeric, 4) AS old_area_km2,
       round(new_area_km2::numeric, 4) AS new_area_km2,
       round((new_area_km2 - old_area_km2)::numeric, 4) AS area_change_km2,
       round((100.0 * (new_area_km2 - old_area_km2) / nullif(old_area_km2, 0))::numeric, 3)
           AS area_change_percent,
       CASE WHEN %(with_geometry)s THEN ST_AsGeoJSON(geom, {precision}) END AS geometry
FROM pairs
WHERE change <> 'changed' OR renamed OR parent_changed OR reshaped
ORDER BY array_position(ARRAY['departement', 'arrondissement', 'commune', 'section'], level), pcode
