    -- Below the layer's point zoom: one point per grid cell of 1/64 tile, with a count.
    SELECT min(f.id) AS id, ST_Centroid(ST_Collect(f.geom_3857)) AS geom, {nulls},
           NULL::text AS condition, count(*) AS count, true AS cluster
    FROM layers_feature f, tile
    WHERE f.layer_id = %(layer)s AND f.geom_3857 && tile.env3857
    GROUP BY ST_SnapToGrid(f.geom_3857, tile.cell)
