    -- One boundary level of one generation, with the geometry simplified for the zoom at load time
    -- (the same choice as layers.selectors.areas.geometry_for_zoom).
    SELECT a.id,
           CASE WHEN tile.z <= 7 THEN a.geom_low
                WHEN tile.z <= 9 THEN a.geom_mid
                WHEN tile.z <= 12 THEN a.geom_high
                ELSE a.geom END AS geom,
           jsonb_build_object('pcode', a.pcode, 'name_fr', a.name_fr, 'name_ht', a.name_ht,
                              'name_en', a.name_en, 'level', a.level,
                              'parent', nullif(a.parent_pcode, ''),
                              'population', a.population) AS props
    FROM layers_adminarea a, tile
    WHERE a.generation_id = %(generation)s AND a.level = %(level)s AND a.geom && tile.env4326
