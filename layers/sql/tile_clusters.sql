    -- Below the layer's point zoom: one point per grid cell of 1/64 tile, with a count,
    -- put on the tile's grid as tile_points.sql does.
    SELECT c.id, ST_MakePoint(p.x, p.y) AS geom, {nulls}, NULL::text AS condition,
           c.count, true AS cluster
    FROM (
        SELECT min(f.id) AS id, ST_Centroid(ST_Collect(f.geom_3857)) AS centre, count(*) AS count
        FROM layers_feature f, tile
        WHERE f.layer_id = %(layer)s AND f.geom_3857 && tile.env3857
        GROUP BY ST_SnapToGrid(f.geom_3857, tile.cell)
    ) c, tile,
         LATERAL (SELECT round(ST_X(c.centre) * tile.fx + tile.xoff) AS x,
                         round(ST_Y(c.centre) * tile.fy + tile.yoff) AS y) p
    WHERE p.x BETWEEN -64 AND 4160 AND p.y BETWEEN -64 AND 4160
