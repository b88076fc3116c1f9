"""Hotspots of reports: DBSCAN clusters (PostGIS) and Getis-Ord Gi* per area (PySAL)."""

import warnings

import numpy as np

from analytics.conf import metric_srid
from analytics.results import Result
from analytics.selectors.common import (
    DETAIL_COLUMNS,
    SQL_DIR,
    ProblemFilter,
    geometry,
    problems_sql,
    report_query_session,
)
from analytics.selectors.significance import (
    benjamini_hochberg,
    neighbourhood_binomial,
    permutation_sides,
)
from analytics.services.weights import contiguity
from geoportal.sql import fetch_dicts, sql_file


def dbscan_clusters(*, filters: ProblemFilter, distance: float, min_size: int, bbox=None) -> Result:
    """Clusters of at least `min_size` reports each within `distance` metres of another."""
    xmin, ymin, xmax, ymax = bbox or (None, None, None, None)
    sql = sql_file(SQL_DIR / "dbscan.sql").format(problems=problems_sql())
    params = {**filters.sql_params(), "srid": metric_srid(), "distance": distance}
    params.update(min_size=min_size, xmin=xmin, ymin=ymin, xmax=xmax, ymax=ymax)
    with report_query_session():
        rows = fetch_dicts(sql, params)
    noise = rows[0]["noise"] if rows else None
    geometries = [geometry(row.pop("geometry")) for row in rows]
    for row in rows:
        row.pop("noise")
    meta = {"analysis": "dbscan", **filters.describe(), "distance_m": distance}
    meta.update(min_size=min_size, clusters=len(rows), noise=noise, srid=metric_srid())
    return Result(name="hotspots_dbscan", rows=rows, geometries=geometries, meta=meta)


def area_values(*, filters: ProblemFilter, value: str, detail: str) -> tuple[list[dict], list[str]]:
    """Per area of the level: its report count, and the value tested (the count, or reports
    per 1,000 residents, areas without a population being left out and listed)."""
    column, precision = DETAIL_COLUMNS[detail]
    sql = sql_file(SQL_DIR / "area_values.sql").format(
        problems=problems_sql(), geom=column, precision=precision
    )
    with report_query_session():
        rows = fetch_dicts(sql, filters.sql_params())
    excluded = []
    if value == "per_1000":
        excluded = [row["pcode"] for row in rows if not row["population"]]
        rows = [row for row in rows if row["population"]]
        for row in rows:
            row["value"] = 1000.0 * row["reports"] / row["population"]
    else:
        for row in rows:
            row["value"] = float(row["reports"])
    return rows, excluded


def _weights(level: str, rows: list[dict]):
    """Queen contiguity of the level (cached), restricted to the areas tested."""
    from libpysal.weights import W

    pcodes = [row["pcode"] for row in rows]
    inside = set(pcodes)
    everything = contiguity(level)
    neighbours = {p: [n for n in everything.get(p, []) if n in inside] for p in pcodes}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return W(neighbours, id_order=pcodes, silence_warnings=True)


def _untestable(rows: list[dict]) -> str | None:
    if len(rows) < 3:
        return "Fewer than 3 areas: no statistic."
    values = [row["value"] for row in rows]
    if all(v == values[0] for v in values):
        return "Every area has the same value: no statistic."
    return None


def gi_star(
    *,
    filters: ProblemFilter,
    value: str = "per_1000",
    permutations: int = 999,
    alpha: float = 0.05,
    seed: int = 12345,
    detail: str = "mid",
) -> Result:
    """Getis-Ord Gi* of report counts (or rates per 1,000 residents) per area, on queen
    contiguity (binary weights, focal area included), with a pseudo p-value from
    `permutations` conditional permutations seeded for reproducibility.

    Most areas have no report (zero-inflated counts). The flag comes from an exact
    conditional test of the same neighbourhoods (the binomial share of all reports that
    its residents, or its number of areas, would get under one rate everywhere), corrected
    for testing every area at once (Benjamini–Hochberg): hot or cold when the q-value is
    at most `alpha`. `p_sim` stays the permutation p-value, ties counted as extreme on
    both sides (esda counts them on one side, which made every empty area among empty
    neighbours a "significant" cold spot at p = 1/(permutations+1))."""
    from esda.getisord import G_Local

    rows, excluded = area_values(filters=filters, value=value, detail=detail)
    meta = {"analysis": "gi_star", **filters.describe(), "value": value}
    meta.update(permutations=permutations, alpha=alpha, seed=seed, excluded=excluded)
    meta.update(test="neighbourhood binomial", correction="benjamini-hochberg")
    note = _untestable(rows)
    if note:
        meta["note"] = note
        return _gi_result(rows, meta, None)
    y = np.array([row["value"] for row in rows], dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        stat = G_Local(
            y, _weights(filters.level, rows), transform="B", permutations=permutations,
            star=True, seed=seed, keep_simulations=True, n_jobs=1,
        )  # fmt: skip
    weights = w_star_members(_weights(filters.level, rows), rows)
    population = [row["population"] if value == "per_1000" else 1 for row in rows]
    test = neighbourhood_binomial([row["reports"] for row in rows], population, weights)
    return _gi_result(rows, meta, stat, alpha=alpha, test=test)


def w_star_members(w, rows: list[dict]) -> list[list[int]]:
    """Indices of each area's Gi* neighbourhood: itself and its neighbours."""
    index = {row["pcode"]: i for i, row in enumerate(rows)}
    return [[i, *(index[n] for n in w.neighbors[row["pcode"]])] for i, row in enumerate(rows)]


QUADRANTS = {1: "high-high", 2: "low-high", 3: "low-low", 4: "high-low"}


def local_moran(
    *,
    filters: ProblemFilter,
    value: str = "per_1000",
    permutations: int = 999,
    alpha: float = 0.05,
    seed: int = 12345,
    detail: str = "mid",
) -> Result:
    """Local Moran's I (Anselin 1995) on row-standardised queen contiguity: clusters
    (high-high, low-low) and outliers (high-low, low-high) with seeded pseudo p-values.

    `p_sim` is the folded permutation p-value with ties counted as extreme on both sides
    (zero-inflated counts tie often; esda counts ties on one side). An area is flagged in
    its quadrant when its Benjamini–Hochberg q-value over all tested areas is at most
    `alpha`, as for Gi*."""
    from esda.moran import Moran_Local

    rows, excluded = area_values(filters=filters, value=value, detail=detail)
    meta = {"analysis": "local_moran", **filters.describe(), "value": value}
    meta.update(permutations=permutations, alpha=alpha, seed=seed, excluded=excluded)
    meta.update(test="permutation", correction="benjamini-hochberg")
    note = _untestable(rows)
    stat = None
    if note:
        meta["note"] = note
    else:
        y = np.array([row["value"] for row in rows], dtype=float)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            stat = Moran_Local(
                y, _weights(filters.level, rows), transformation="r", permutations=permutations,
                seed=seed, keep_simulations=True, n_jobs=1,
            )  # fmt: skip
        p_values, q_values = _moran_p_q(stat)
    out, geoms = [], []
    for index, row in enumerate(rows):
        local_i = _finite(stat.Is[index]) if stat is not None else None
        p_sim = float(p_values[index]) if local_i is not None else None
        q_value = float(q_values[index]) if local_i is not None else None
        kind = "not_significant"
        if q_value is not None and q_value <= alpha:
            kind = QUADRANTS[int(stat.q[index])]
        out.append({"pcode": row["pcode"], "name_fr": row["name_fr"], "population": row["population"],
                    "reports": row["reports"], "value": round(row["value"], 6),
                    "local_i": None if local_i is None else round(local_i, 6),
                    "p_sim": None if p_sim is None else round(p_sim, 6),
                    "q_value": None if q_value is None else float(f"{q_value:.6g}"),
                    "quadrant": QUADRANTS[int(stat.q[index])] if stat is not None else None,
                    "flag": kind})  # fmt: skip
        geoms.append(geometry(row["geometry"]))
    for kind in QUADRANTS.values():
        meta[kind.replace("-", "_")] = sum(1 for row in out if row["flag"] == kind)
    return Result(name="hotspots_local_moran", rows=out, geometries=geoms, meta=meta)


def _moran_p_q(stat) -> tuple[np.ndarray, np.ndarray]:
    """Tie-aware folded permutation p-values of local Moran's I and their BH q-values
    (areas without a finite statistic are not tested)."""
    p_values = permutation_sides(stat.Is, stat.rlisas).p
    tested = np.isfinite(np.asarray(stat.Is, dtype=float))
    return p_values, benjamini_hochberg(np.where(tested, p_values, np.nan))


def _gi_result(rows, meta, stat, alpha: float = 0.05, test=None) -> Result:
    if stat is not None:
        sides = permutation_sides(stat.Gs, stat.rGs)
        tested = np.array([_finite(z) is not None for z in stat.Zs])
        q_values = benjamini_hochberg(np.where(tested, test.p, np.nan))
    out, geoms = [], []
    for index, row in enumerate(rows):
        z = _finite(stat.Zs[index]) if stat is not None else None
        # An area whose neighbourhood is every area has no variance: no statistic.
        p_sim = float(sides.p[index]) if z is not None else None
        p_value = float(test.p[index]) if z is not None else None
        q_value = float(q_values[index]) if z is not None else None
        p_norm = _finite(stat.p_norm[index]) if z is not None else None
        flag = "not_significant"
        if q_value is not None and q_value <= alpha:
            flag = "hot" if test.high[index] else "cold"
        out.append(
            {
                "pcode": row["pcode"],
                "name_fr": row["name_fr"],
                "population": row["population"],
                "reports": row["reports"],
                "value": round(row["value"], 6),
                "gi_z": None if z is None else round(z, 6),
                "p_sim": None if p_sim is None else round(p_sim, 6),
                "p_value": None if p_value is None else float(f"{p_value:.6g}"),
                "q_value": None if q_value is None else float(f"{q_value:.6g}"),
                "p_norm": None if p_norm is None else round(p_norm, 6),
                "flag": flag,
            }
        )
        geoms.append(geometry(row["geometry"]))
    meta["hot"] = sum(1 for row in out if row["flag"] == "hot")
    meta["cold"] = sum(1 for row in out if row["flag"] == "cold")
    meta["not_significant"] = len(out) - meta["hot"] - meta["cold"]
    return Result(name="hotspots_gi_star", rows=out, geometries=geoms, meta=meta)


def _finite(value) -> float | None:
    value = float(value)
    return value if np.isfinite(value) else None
