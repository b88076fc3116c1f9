    -- Projects for the tile source "projects" (layers/sql/tile.sql wraps this SELECT):
    -- public fields only. A GeometryCollection (a road and its drains) is cut into its
    -- points, lines and polygons, one MVT feature each (MVT has no collections);
    -- feature id = project id × 4 + geometry dimension + 1.
    SELECT p.id * 4 + k.t AS id,
           ST_CollectionExtract(p.geom, k.t) AS geom,
           p.slug::text AS slug,
           p.title_fr::text AS title,
           p.sector::text AS sector,
           p.status::text AS status,
           p.percent_complete::int AS percent_complete,
           p.sample AS sample
    FROM projects_project p
    CROSS JOIN (VALUES (1), (2), (3)) AS k(t), tile
    WHERE p.geom && tile.env4326
      AND NOT ST_IsEmpty(ST_CollectionExtract(p.geom, k.t))
