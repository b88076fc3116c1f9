    -- A layer's points one by one, on the stored EPSG:3857 copy (indexed). Public
    -- attributes as typed columns ({columns}): ST_AsMVT encodes them faster than jsonb.
    SELECT f.id, f.geom_3857 AS geom, {columns}, f.condition::text AS condition,
           NULL::bigint AS count, NULL::boolean AS cluster
    FROM layers_feature f, tile
    WHERE f.layer_id = %(layer)s AND f.geom_3857 && tile.env3857
