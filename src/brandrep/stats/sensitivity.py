"""How the verdict moves when the uncertain denominator moves.

No public source gives a brand's share of the exact exposure behind a platform's complaints, so
a single p-value at one assumed share says little. Two views (docs/methods.md section 1, step 7; the
tipping-point idea follows sensitivity analysis for unmeasured inputs, e.g. Rosenbaum 2002,
Observational Studies, ch. 4, applied here to the denominator):

* Tipping-point curve: R and the one-sided p-value (exact binomial and its beta-binomial
  over-dispersed form, both from ``brandrep.stats.rates.p_disproportionate``) over a grid of assumed exposure shares, so a reader sees where
  "disproportionate" stops and where R = 1.
* Monte Carlo: draw every brand's exposure share uniformly within its sourced range (seeded
  ``numpy.random.default_rng``), re-normalise when the draws exceed 100 %, recompute the focus
  brand's R and test, and report the share of draws that are flagged and how often the verdict
  differs from the one at the point estimate.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from brandrep.errors import ParameterError
from brandrep.stats._checks import check_alpha, check_count, check_phi, check_share, check_total
from brandrep.stats.rates import p_disproportionate  # the one owner of the test, scalar or vectorised

__all__ = ["tipping_point_curve", "simulate_rate_ratio", "flip_summary", "DEFAULT_GRID"]

DEFAULT_GRID = np.round(np.arange(0.05, 0.2501, 0.0025), 4)


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
