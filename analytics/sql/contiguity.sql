-- Queen contiguity between the areas of one level: pairs whose boundaries meet (within
-- a metre, for slivers between independently digitised polygons), found on the GiST index.
-- Islands are then linked to their nearest area so that every area has a neighbour.
WITH areas AS (
    SELECT id, pcode, geom FROM layers_adminarea
    WHERE generation_id = %(generation)s AND level = %(level)s
),
pairs AS (
    SELECT a.pcode AS a, b.pcode AS b
    FROM areas a JOIN areas b ON a.id < b.id AND ST_DWithin(a.geom, b.geom, 0.00001)
),
linked AS (
    SELECT a, b, false AS island FROM pairs
    UNION ALL
    SELECT i.pcode, n.pcode, true
    FROM areas i
    CROSS JOIN LATERAL (
        SELECT o.pcode FROM areas o WHERE o.id <> i.id ORDER BY o.geom <-> i.geom LIMIT 1
    ) n
    WHERE NOT EXISTS (SELECT 1 FROM pairs p WHERE p.a = i.pcode OR p.b = i.pcode)
)
SELECT a, b, island FROM linked
