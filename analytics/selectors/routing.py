"""Ordering visits on straight-line (geodesic) distance: nearest neighbour, then 2-opt.

Pure functions on a distance matrix, so that they are tested on their own."""

import numpy as np


def distance_matrix(lons, lats) -> np.ndarray:
    """Geodesic distances in metres (WGS84 ellipsoid) between every pair of points."""
    from pyproj import Geod

    lons, lats = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
    n = len(lons)
    i, j = np.triu_indices(n, k=1)
    matrix = np.zeros((n, n))
    if len(i):
        _, _, dist = Geod(ellps="WGS84").inv(lons[i], lats[i], lons[j], lats[j])
        matrix[i, j] = matrix[j, i] = dist
    return matrix


def route_length(matrix: np.ndarray, order: list[int], *, closed: bool) -> float:
    stops = [0, *order] + ([0] if closed else [])
    return float(sum(matrix[a, b] for a, b in zip(stops, stops[1:], strict=False)))


def nearest_neighbour(matrix: np.ndarray) -> list[int]:
    """Visit order of nodes 1..n-1 from node 0 (the depot), always to the closest next."""
    left = set(range(1, len(matrix)))
    order, here = [], 0
    while left:
        here = min(left, key=lambda node: (matrix[here, node], node))
        order.append(here)
        left.remove(here)
    return order


def two_opt(
    matrix: np.ndarray, order: list[int], *, closed: bool, max_rounds: int = 100
) -> list[int]:
    """Reverses segments while that shortens the route (first improvement), until no
    reversal helps. The depot (0) stays first."""
    path = [0, *order] + ([0] if closed else [])
    improved, rounds = True, 0
    last = len(path) - (1 if closed else 0)
    while improved and rounds < max_rounds:
        improved, rounds = False, rounds + 1
        for i in range(1, last - 1):
            for k in range(i + 1, last):
                a, b = path[i - 1], path[i]
                c = path[k]
                d = path[k + 1] if k + 1 < len(path) else None
                before = matrix[a, b] + (matrix[c, d] if d is not None else 0.0)
                after = matrix[a, c] + (matrix[b, d] if d is not None else 0.0)
                if after < before - 1e-9:
                    path[i : k + 1] = reversed(path[i : k + 1])
                    improved = True
    return path[1 : len(path) - (1 if closed else 0)]
