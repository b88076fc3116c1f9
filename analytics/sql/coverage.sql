-- Coverage of the areas of one level by the facilities of a layer: the zone within
-- `distance` metres of any facility (buffers in a metric CRS, unioned once), intersected
-- with each area on the GiST index. Population within reach assumes residents spread
-- evenly over the area (the caller replaces it with a raster's sum when one is given).
-- A scoped actor sees the areas of their territory only (territory.sql).
WITH RECURSIVE scope(id) AS (
    SELECT id FROM layers_adminarea WHERE generation_id = %(generation)s AND pcode = %(area)s
    UNION ALL
    SELECT c.id FROM layers_adminarea c JOIN scope s ON c.parent_id = s.id
),
{territory},
reach AS (
    SELECT ST_Transform(ST_Union(ST_Buffer(ST_Transform(f.geom, %(srid)s), %(distance)s, 32)), 4326) AS zone
    FROM layers_feature f WHERE f.layer_id = %(layer)s
),
areas AS (
    SELECT a.* FROM layers_adminarea a
    WHERE a.generation_id = %(generation)s AND a.level = %(level)s AND (%(area)s::text IS NULL OR a.id IN (SELECT id FROM scope))
      AND (%(communes)s::text[] IS NULL OR a.id IN (SELECT id FROM territory)
           OR a.id IN (SELECT id FROM above))
),
covered AS (
    SELECT a.id,
           ST_Intersection(a.geom, r.zone) AS part,
           (SELECT count(*) FROM layers_feature f
            WHERE f.layer_id = %(layer)s AND ST_Intersects(f.geom, a.geom)) AS facilities
    FROM areas a, reach r
    WHERE r.zone IS NOT NULL AND a.geom && r.zone
)
SELECT a.pcode, a.level, a.name_fr, a.name_ht, a.name_en, a.parent_pcode AS parent,
       a.population,
       coalesce(c.facilities, 0) AS facilities,
       coalesce(ST_Area(c.part::geography) / nullif(ST_Area(a.geom::geography), 0), 0) AS covered_share,
       CASE WHEN %(with_parts)s THEN ST_AsBinary(c.part) END AS covered_wkb,
       CASE WHEN %(with_parts)s THEN ST_AsBinary(a.geom) END AS area_wkb,
       ST_AsGeoJSON(coalesce({geom}, a.geom), {precision}) AS geometry
FROM areas a LEFT JOIN covered c ON c.id = a.id
ORDER BY a.pcode
