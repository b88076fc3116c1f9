    -- A layer's points one by one, on the stored EPSG:3857 copy (indexed), put on the
    -- tile's grid here (ST_AsMVTGeom's map and rounding, and its clip to the 64-pixel
    -- buffer): the same tile without ST_AsMVTGeom's general work per point. Public
    -- attributes as typed columns ({columns}): ST_AsMVT encodes them faster than jsonb.
    SELECT f.id, ST_MakePoint(p.x, p.y) AS geom, {columns}, f.condition::text AS condition,
           NULL::bigint AS count, NULL::boolean AS cluster
    FROM layers_feature f, tile,
         LATERAL (SELECT round(ST_X(f.geom_3857) * tile.fx + tile.xoff) AS x,
                         round(ST_Y(f.geom_3857) * tile.fy + tile.yoff) AS y) p
    WHERE f.layer_id = %(layer)s AND f.geom_3857 && tile.env3857
      AND p.x BETWEEN -64 AND 4160 AND p.y BETWEEN -64 AND 4160
