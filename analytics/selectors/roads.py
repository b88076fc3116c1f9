"""Distances along a road layer: a graph from the layer's lines (vertices shared by two
lines join them, as in any noded road network), stops snapped to their nearest vertex,
Dijkstra between every pair of stops (scipy). Pairs the network does not connect keep
their straight-line distance, and the plan says how many."""

from dataclasses import dataclass

import numpy as np

from analytics.conf import metric_srid
from geoportal.sql import fetch_dicts

ROADS_SQL = """
SELECT ST_AsBinary(ST_Transform((ST_Dump(ST_LineMerge(ST_CollectionExtract(f.geom, 2)))).geom, %(srid)s)) AS wkb
FROM layers_feature f
WHERE f.layer_id = %(layer)s
  AND f.geom && ST_Expand(ST_MakeEnvelope(%(xmin)s, %(ymin)s, %(xmax)s, %(ymax)s, 4326), %(margin)s)
"""


@dataclass
class RoadMatrix:
    matrix: np.ndarray
    paths: dict  # (i, j) -> list of metric (x, y) along the road, for the route line
    unconnected_pairs: int
    to_wgs84: object


def road_matrix(*, layer_id: int, lons, lats, straight: np.ndarray, margin_deg: float = 0.05):
    import shapely
    from pyproj import Transformer
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import dijkstra
    from scipy.spatial import cKDTree

    srid = metric_srid()
    params = {"layer": layer_id, "srid": srid, "margin": margin_deg}
    params.update(xmin=min(lons), ymin=min(lats), xmax=max(lons), ymax=max(lats))
    lines = [shapely.from_wkb(bytes(row["wkb"])) for row in fetch_dicts(ROADS_SQL, params)]
    lines = [line for line in lines if line.geom_type == "LineString" and not line.is_empty]
    if not lines:
        return None
    nodes: dict[tuple, int] = {}
    edges_a, edges_b, lengths = [], [], []
    for line in lines:
        coords = np.round(np.asarray(line.coords)[:, :2], 1)  # decimetres join shared vertices
        ids = [nodes.setdefault(tuple(c), len(nodes)) for c in coords]
        for (a, b), p, q in zip(zip(ids, ids[1:], strict=False), coords, coords[1:], strict=False):
            if a != b:
                edges_a.append(a), edges_b.append(b), lengths.append(float(np.hypot(*(q - p))))
    points = np.array(list(nodes))
    size = len(points)
    graph = coo_matrix(
        (lengths + lengths, (edges_a + edges_b, edges_b + edges_a)), shape=(size, size)
    ).tocsr()
    forward = Transformer.from_crs(4326, srid, always_xy=True)
    back = Transformer.from_crs(srid, 4326, always_xy=True)
    xs, ys = forward.transform(np.asarray(lons), np.asarray(lats))
    snap_dist, snap_node = cKDTree(points).query(np.column_stack([xs, ys]))
    dist, pred = dijkstra(graph, directed=False, indices=snap_node, return_predecessors=True)
    n = len(lons)
    matrix, paths, unconnected = straight.copy(), {}, 0
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            along = dist[i, snap_node[j]]
            if not np.isfinite(along):
                unconnected += 1
                continue
            matrix[i, j] = snap_dist[i] + along + snap_dist[j]
            paths[(i, j)] = (
                [(xs[i], ys[i])]
                + _walk(pred[i], snap_node[i], snap_node[j], points)
                + [(xs[j], ys[j])]
            )
    return RoadMatrix(matrix=matrix, paths=paths, unconnected_pairs=unconnected // 2, to_wgs84=back)


def _walk(predecessors, source: int, target: int, points) -> list[tuple]:
    chain = [target]
    while chain[-1] != source and predecessors[chain[-1]] >= 0:
        chain.append(predecessors[chain[-1]])
    return [tuple(points[node]) for node in reversed(chain)]
