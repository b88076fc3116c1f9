-- Queen contiguity between the areas of one level: pairs whose boundaries meet (within
-- a metre, for slivers between independently digitised polygons), found on the GiST index.
-- ST_Intersects answers most pairs first (PostGIS prepares the repeated geometry; ~7×
-- faster than ST_DWithin alone on the 570 sections); the distance is computed only for
-- the pairs that do not intersect.
-- Islands are then linked to their nearest area so that every area has a neighbour.
WITH areas AS (
    SELECT id, pcode, geom FROM layers_adminarea
    WHERE generation_id = %(generation)s AND level = %(level)s
),
pairs AS (
    SELECT a.pcode AS a, b.pcode AS b
    FROM areas a JOIN areas b ON a.id < b.id AND a.geom && ST_Expand(b.geom, 0.00001)
     AND (ST_Intersects(a.geom, b.geom) OR ST_DWithin(a.geom, b.geom, 0.00001))
),
-- Islands first (materialised), so that the nearest-area search runs for them only and
-- not for every area (it cost ~50 ms an area on the full-resolution polygons).
islands AS MATERIALIZED (
    SELECT i.id, i.pcode, i.geom FROM areas i
    WHERE NOT EXISTS (SELECT 1 FROM pairs p WHERE p.a = i.pcode OR p.b = i.pcode)
),
linked AS (
    SELECT a, b, false AS island FROM pairs
    UNION ALL
    SELECT i.pcode, n.pcode, true
    FROM islands i
    CROSS JOIN LATERAL (
        SELECT o.pcode FROM areas o WHERE o.id <> i.id ORDER BY o.geom <-> i.geom LIMIT 1
    ) n
)
SELECT a, b, island FROM linked
