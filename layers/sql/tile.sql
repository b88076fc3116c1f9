-- One vector tile of one source, built in PostGIS (as tipg does): the source's own
-- SELECT (the `features` CTE) reads the CTE `tile`; geometries are clipped and quantised
-- by ST_AsMVTGeom, the tile encoded by ST_AsMVT with `id` as the feature id and the
-- property columns (or the jsonb `props`) as attributes. The geometry is taken as is when the source gives it in
-- EPSG:3857, else transformed; a source of points already on the tile's grid (`fx`, `fy`,
-- `xoff`, `yoff`: ST_AsMVTGeom's own map, then rounded and clipped to the buffer) skips
-- ST_AsMVTGeom, the costliest step per point.
WITH envelope AS (SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS b),
tile AS (
    SELECT %(z)s::int AS z,
           b AS bounds3857,
           ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => 64.0 / 4096) AS env3857,
           ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => 64.0 / 4096), 4326) AS env4326,
           (40075016.685578488 / (1 << %(z)s)) / 64 AS cell,
           -- ST_AsMVTGeom's own affine map from EPSG:3857 to the tile's 4096 grid (y down)
           4096 / (ST_XMax(b) - ST_XMin(b)) AS fx,
           -(4096 / (ST_YMax(b) - ST_YMin(b))) AS fy,
           -ST_XMin(b) * (4096 / (ST_XMax(b) - ST_XMin(b))) AS xoff,
           ST_YMax(b) * (4096 / (ST_YMax(b) - ST_YMin(b))) AS yoff
    FROM envelope
),
features AS (
{features}
),
mvt AS (
    SELECT f.id, {mvt_geom} AS geom, {props}
    FROM features f, tile
)
SELECT ST_AsMVT(mvt.*, %(layer_name)s, 4096, 'geom', 'id') FROM mvt WHERE mvt.geom IS NOT NULL
