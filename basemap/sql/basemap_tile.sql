    -- The local basemap for the tile source "basemap" (layers/sql/tile.sql wraps this
    -- SELECT). What shows grows with the zoom so that a tile stays small: water and main
    -- roads from afar, streets from 13, buildings and landmarks from 15.
    SELECT f.id,
           f.geom,
           f.kind::text AS kind,
           f.category::text AS class,
           f.name::text AS name
    FROM basemap_basemapfeature f, tile
    WHERE f.geom && tile.env4326
      AND CASE f.kind
            WHEN 'water' THEN tile.z >= 8 OR f.category IN ('river', 'water', 'bay')
            WHEN 'road' THEN tile.z >= 13
                 OR (tile.z >= 10 AND f.category IN ('tertiary', 'tertiary_link'))
                 OR f.category IN ('motorway', 'trunk', 'primary', 'secondary',
                                   'motorway_link', 'trunk_link', 'primary_link',
                                   'secondary_link')
            WHEN 'place' THEN tile.z >= 12
            ELSE tile.z >= 15
          END
