"""How the verdict moves when the uncertain denominator moves.

No public source gives a brand's share of the exact exposure behind a platform's complaints, so
a single p-value at one assumed share says little. Two views (docs/methods.md section 1, step 7; the
tipping-point idea follows sensitivity analysis for unmeasured inputs, e.g. Rosenbaum 2002,
Observational Studies, ch. 4, applied here to the denominator):

* Tipping-point curve: R and the one-sided p-value (exact binomial and its beta-binomial
  over-dispersed form, both from ``brandrep.stats.rates.p_disproportionate``) over a grid of assumed exposure shares, so a reader sees where
  "disproportionate" stops and where R = 1.
* Monte Carlo over a stated prior on the denominator: each candidate denominator gets a weight
  (``draw_allocation``: set by the user, by default equal per sourced scope, i.e. per product
  category the figure covers, split equally among that scope's candidates), and its draws take
  the exposure share uniformly within its sourced range, a bound over its one-sided range (a
  lower bound on a share up to 1). Every brand's share of one category is drawn jointly and
  re-normalised when the draws exceed 100 % (seeded ``numpy.random.default_rng``). The output is
  "the share of plausible denominators under which the brand is flagged", not a probability of
  the claim: it moves with the weights.
* A Bayesian reading beside it (``jeffreys_p_above``): the complaint share's posterior under
  the Jeffreys prior Beta(1/2, 1/2) is Beta(O + 1/2, N - O + 1/2); with the exposure share drawn
  from the same weighted mixture as prior, P(R > 1 | data, prior) = mean over draws of
  P(p > m | data).
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from brandrep.errors import ParameterError
from brandrep.stats._checks import check_alpha, check_count, check_phi, check_share, check_total
from brandrep.stats.rates import p_disproportionate  # the one owner of the test, scalar or vectorised

__all__ = ["tipping_point_curve", "simulate_rate_ratio", "flip_summary", "DEFAULT_GRID", "candidate_scope",
           "draw_allocation", "jeffreys_p_above"]

DEFAULT_GRID = np.round(np.arange(0.05, 0.2501, 0.0025), 4)


def candidate_scope(exposure_measure: str) -> str:
    """The sourced scope of a candidate: the product category it covers ("retail_share:air_conditioners"
    and "shipments/market_volume:air_conditioners" share the scope "air_conditioners")."""
    return str(exposure_measure).rsplit(":", 1)[-1]


def draw_allocation(exposure_measures, n_simulations: int, weights: dict | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(weights, draws) per candidate: the weights as used (summing to 1) and whole draws by the
    largest-remainder rule. ``weights`` maps exposure measures to non-negative weights (a measure
    not named gets 0); empty or None: equal per scope (``candidate_scope``), split equally among
    a scope's candidates."""
    measures = [str(m) for m in exposure_measures]
    if not measures:
        return np.zeros(0), np.zeros(0, dtype=int)
    if weights:
        unknown = sorted(set(weights) - set(measures))
        raw = np.array([float(weights.get(m, 0.0)) for m in measures])
        if (raw < 0).any() or not np.isfinite(raw).all() or raw.sum() <= 0:
            raise ParameterError(f"candidate_weights must be non-negative numbers with a positive total over the "
                                 f"candidates {measures}, got {dict(weights)!r}"
                                 + (f" (not candidates here: {unknown})" if unknown else ""))
    else:
        scopes = [candidate_scope(m) for m in measures]
        raw = np.array([1.0 / scopes.count(s) for s in scopes])
    share = raw / raw.sum()
    exact = share * n_simulations
    draws = np.floor(exact).astype(int)
    order = np.lexsort((np.arange(len(measures)), -(exact - draws)))  # largest remainder, then first listed
    draws[order[: n_simulations - int(draws.sum())]] += 1
    return share, draws


def jeffreys_p_above(count: int, total: int, exposure_shares) -> float:
    """P(R > 1 | data, prior) = mean over the exposure-share draws of P(p > m), p ~ Beta(O + 1/2,
    N - O + 1/2), the complaint share's posterior under the Jeffreys prior."""
    count, total = check_total(count, total)
    shares = np.asarray(exposure_shares, dtype=float)
    if shares.size == 0:
        return float("nan")
    from scipy import stats as sps

    return float(np.mean(sps.beta.sf(shares, count + 0.5, total - count + 0.5)))


def tipping_point_curve(count, total, *, brand: str, grid=None, alpha: float = 0.05, phi: float = 1.0,
                        tau2: float | None = None) -> pd.DataFrame:
    """Table ``tipping_point``: R, its exact interval and both p-values per assumed exposure share."""
    count, total = check_total(count, total)
    alpha, phi = check_alpha(alpha), check_phi(phi)
    shares = DEFAULT_GRID if grid is None else np.asarray(grid, dtype=float)
    for i, share in enumerate(shares, start=1):
        check_share(float(share), "exposure share grid", row=i)
    share_low, share_high = proportion_confint(count, total, alpha=alpha, method="beta")
    p_binomial, p_over = p_disproportionate(count, total, shares, phi=phi, tau2=tau2)
    return pd.DataFrame(
        {
            "brand": brand,
            "exposure_share": shares,
            "rate_ratio": count / total / shares,
            "rate_ratio_low": share_low / shares,
            "rate_ratio_high": share_high / shares,
            "p_binomial": p_binomial,
            "p_overdispersed": p_over,
            "phi": phi if tau2 is None else 1.0 + tau2 * total * shares,
        }
    )


def simulate_rate_ratio(count, total, ranges: pd.DataFrame, *, brand: str, n_simulations: int = 10_000,
                        seed: int = 0, alpha: float = 0.05, phi: float = 1.0,
                        tau2: float | None = None) -> pd.DataFrame:
    """Table ``r_simulation``: one row per draw with the focus brand's R and whether it is flagged.

    ``ranges`` has one row per brand: brand, exposure_share_low, exposure_share_high (fractions).
    A draw takes every brand's share uniformly in its range; if they add up to more than 1 they
    are scaled down to 1 (the brands then cover the whole market). ``flagged`` is the
    phi-inflated one-sided test at level alpha.
    """
    count, total = check_total(count, total)
    alpha, phi = check_alpha(alpha), check_phi(phi)
    n_simulations = check_count(n_simulations, "n_simulations")
    if n_simulations == 0:
        raise ParameterError("n_simulations must be at least 1")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise ParameterError(f"seed must be a whole number, got {seed!r}")
    missing = {"brand", "exposure_share_low", "exposure_share_high"} - set(ranges.columns)
    if missing:
        raise ParameterError(f"ranges lacks column(s) {sorted(missing)}")
    ranges = ranges.sort_values("brand").reset_index(drop=True)
    if brand not in set(ranges["brand"]):
        raise ParameterError(f"no exposure range for brand {brand!r}; ranges cover {sorted(ranges['brand'])}")
    if ranges["brand"].duplicated().any():
        raise ParameterError(f"ranges has more than one row for {sorted(ranges.loc[ranges['brand'].duplicated(), 'brand'])}")
    for i, row in ranges.iterrows():
        low = check_share(row["exposure_share_low"], "exposure_share_low", row=f"{i + 1}, brand {row['brand']}")
        high = check_share(row["exposure_share_high"], "exposure_share_high", row=f"{i + 1}, brand {row['brand']}")
        if low > high:
            raise ParameterError(f"exposure range for {row['brand']!r} is reversed: low {low} > high {high}")
    rng = np.random.default_rng(seed)
    draws = rng.uniform(ranges["exposure_share_low"].to_numpy(float), ranges["exposure_share_high"].to_numpy(float),
                        size=(n_simulations, len(ranges)))
    scale = np.maximum(draws.sum(axis=1), 1.0)
    focus = draws[:, int(np.flatnonzero(ranges["brand"].to_numpy() == brand)[0])] / scale
    _, p_over = p_disproportionate(count, total, focus, phi=phi, tau2=tau2)
    return pd.DataFrame(
        {"draw": np.arange(1, n_simulations + 1), "rate_ratio": count / total / focus, "flagged": p_over < alpha}
    )


def flip_summary(simulation: pd.DataFrame, *, point_flagged: bool) -> dict:
    """Share of draws flagged, and how often the verdict differs from the point estimate's."""
    flagged = simulation["flagged"].to_numpy(bool)
    rate_ratio = simulation["rate_ratio"].to_numpy(float)
    return {
        "n": int(len(flagged)),
        "share_flagged": float(flagged.mean()),
        "share_flipped": float((flagged != point_flagged).mean()),
        "rate_ratio_median": float(np.median(rate_ratio)),
        "rate_ratio_p05": float(np.quantile(rate_ratio, 0.05)),
        "rate_ratio_p95": float(np.quantile(rate_ratio, 0.95)),
    }
