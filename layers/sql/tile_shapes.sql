    -- A layer's lines and polygons (ST_AsMVTGeom quantises them to the tile grid).
    SELECT f.id, f.geom_3857 AS geom, {columns}, f.condition::text AS condition
    FROM layers_feature f, tile
    WHERE f.layer_id = %(layer)s AND f.geom_3857 && tile.env3857
