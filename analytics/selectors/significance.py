"""Pseudo p-values from conditional permutations, and the false discovery rate.

Report counts are zero-inflated: most areas have none, so a permuted neighbourhood often
sums exactly like the observed one. A tie is no evidence either way, so it counts as "at
least as extreme" on both sides; an empty area among empty neighbours then gets p ≈ 1,
not the 1/(permutations+1) that counting ties on one side gave."""

from typing import NamedTuple

import numpy as np


class Sides(NamedTuple):
    p: np.ndarray  # folded (two-sided) pseudo p-value per area
    high: np.ndarray  # True where the observed value lies on the high side


def permutation_sides(observed: np.ndarray, simulated: np.ndarray) -> Sides:
    """Folded pseudo p-values of `observed` (n) against `simulated` (n × permutations),
    ties (to float noise) counted on both sides."""
    observed = np.asarray(observed, dtype=float)[:, None]
    simulated = np.asarray(simulated, dtype=float)
    tie = np.isclose(simulated, observed, rtol=1e-9, atol=1e-12)
    above = ((simulated > observed) | tie).sum(axis=1)
    below = ((simulated < observed) | tie).sum(axis=1)
    permutations = simulated.shape[1]
    high = above <= below
    extreme = np.minimum(above, below)
    p = np.minimum(1.0, 2.0 * (extreme + 1.0) / (permutations + 1.0))
    return Sides(p=p, high=high)


def benjamini_hochberg(p_values: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg (1995) q-values; NaN (untested) stays NaN and is not counted."""
    p_values = np.asarray(p_values, dtype=float)
    q = np.full(p_values.shape, np.nan)
    tested = np.flatnonzero(~np.isnan(p_values))
    if not len(tested):
        return q
    order = tested[np.argsort(p_values[tested], kind="stable")]
    m = len(order)
    ranked = p_values[order] * m / np.arange(1, m + 1)
    q[order] = np.minimum(1.0, np.minimum.accumulate(ranked[::-1])[::-1])
    return q


def neighbourhood_binomial(
    counts: np.ndarray, weights: np.ndarray, members: list[list[int]]
) -> Sides:
    """Two-sided conditional test of each area's neighbourhood count (focal area included).

    Given the total number of reports T, under the null of one rate everywhere a
    neighbourhood receives Binomial(T, share) reports, its share being its part of the
    weights (residents for a rate per 1,000, one per area for plain counts). Exact on
    integer counts, so zero-inflation needs no normal approximation: an empty
    neighbourhood whose expected count is below about 3 cannot be significantly cold,
    and p-values are fine enough for the false-discovery correction over hundreds of
    areas (permutations bottom out at 1/(permutations+1))."""
    from scipy.stats import binom

    counts = np.asarray(counts, dtype=float)
    weights = np.asarray(weights, dtype=float)
    total, weight = counts.sum(), weights.sum()
    observed = np.array([counts[m].sum() for m in members])
    share = np.array([weights[m].sum() for m in members]) / weight
    upper = binom.sf(observed - 1, total, share)  # P(X >= observed)
    lower = binom.cdf(observed, total, share)  # P(X <= observed)
    return Sides(p=np.minimum(1.0, 2.0 * np.minimum(upper, lower)), high=upper <= lower)
