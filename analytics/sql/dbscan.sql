-- Clusters of reports by DBSCAN in a metric CRS (eps in metres): each cluster's convex
-- hull (buffered by half the distance when its points are collinear or coincide, so that
-- every cluster is a polygon), its count, dominant category and breakdown. The prelude
-- comes from problems.sql; every value is a bound parameter.
{problems},
points AS (
    SELECT id, category, ST_Transform(location, %(srid)s) AS xy
    FROM problems
    WHERE %(xmin)s::float8 IS NULL
       OR location && ST_MakeEnvelope(%(xmin)s, %(ymin)s, %(xmax)s, %(ymax)s, 4326)
),
clustered AS (
    SELECT id, category, xy,
           ST_ClusterDBSCAN(xy, eps := %(distance)s, minpoints := %(min_size)s) OVER () AS cid
    FROM points
),
by_category AS (
    SELECT cid, category, count(*) AS n FROM clustered WHERE cid IS NOT NULL GROUP BY cid, category
),
dominant AS (
    SELECT DISTINCT ON (cid) cid, category, n FROM by_category ORDER BY cid, n DESC, category
),
breakdown AS (
    SELECT cid, json_object_agg(category, n ORDER BY category) AS categories
    FROM by_category GROUP BY cid
),
collected AS (
    SELECT cid, count(*) AS reports, ST_Collect(xy) AS pts
    FROM clustered WHERE cid IS NOT NULL GROUP BY cid
),
clusters AS (
    SELECT cid, reports, ST_ConvexHull(pts) AS hull, ST_Centroid(pts) AS centre FROM collected
),
shaped AS (
    SELECT c.*, CASE WHEN ST_Dimension(c.hull) = 2 THEN c.hull
                     ELSE ST_Buffer(c.hull, %(distance)s / 2.0) END AS shape
    FROM clusters c
)
SELECT row_number() OVER (ORDER BY s.reports DESC, s.cid) AS cluster,
       s.reports,
       d.category AS dominant_category,
       round(d.n::numeric / s.reports, 4) AS dominant_share,
       b.categories,
       round(ST_Area(s.shape)::numeric, 1) AS area_m2,
       round(ST_X(ST_Transform(s.centre, 4326))::numeric, 6) AS centre_lon,
       round(ST_Y(ST_Transform(s.centre, 4326))::numeric, 6) AS centre_lat,
       (SELECT count(*) FROM clustered WHERE cid IS NULL) AS noise,  -- computed once
       ST_AsGeoJSON(ST_Transform(s.shape, 4326), 6) AS geometry
FROM shaped s JOIN dominant d ON d.cid = s.cid JOIN breakdown b ON b.cid = s.cid
ORDER BY cluster
