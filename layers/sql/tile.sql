-- One vector tile of one source, built in PostGIS (as tipg does): the source's own
-- SELECT (the `features` CTE) reads the CTE `tile`; geometries are clipped and quantised
-- by ST_AsMVTGeom, the tile encoded by ST_AsMVT with `id` as the feature id and the
-- property columns (or the jsonb `props`) as attributes. The geometry is taken as is when the source gives it in
-- EPSG:3857, else transformed.
WITH tile AS (
    SELECT %(z)s::int AS z,
           ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS bounds3857,
           ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => 64.0 / 4096) AS env3857,
           ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => 64.0 / 4096), 4326) AS env4326,
           (40075016.685578488 / (1 << %(z)s)) / 64 AS cell
),
features AS (
{features}
),
mvt AS (
    SELECT f.id, ST_AsMVTGeom({geom}, tile.bounds3857, 4096, 64, true) AS geom, {props}
    FROM features f, tile
)
SELECT ST_AsMVT(mvt.*, %(layer_name)s, 4096, 'geom', 'id') FROM mvt WHERE mvt.geom IS NOT NULL
