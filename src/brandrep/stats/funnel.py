"""Spiegelhalter funnel plots with exact limits and over-dispersion adjustment.

Each unit (brand, airline) has observed count O, exposure n and expected E = theta * n at the
pooled rate theta. The funnel plots the ratio O/E against exposure with control limits around
the target 1 that narrow as E grows.

* Exact limits (Spiegelhalter 2005a, "Funnel plots for comparing institutional performance",
  Stat Med 24:1185-1202; 2002, QSHC 11:390): r = the p-quantile of Poisson(E) (or binomial),
  a = (F(r) - p) / (F(r) - F(r-1)), limit = (r - a) / E. The interpolation makes the discrete
  quantile continuous in E. p = 0.025/0.975 (~2 SD) and 0.001/0.999 (~3 SD).
* Over-dispersion (Spiegelhalter 2005b, "Handling over-dispersion of performance indicators",
  QSHC 14:347-351), as implemented by FunnelPlotR (nhs-r-community, R/od_adjustment.R):
  z_i = (y_i - 1) / s_i with s_i = 1/sqrt(E_i); winsorise z at its 10 % and 90 % quantiles (only
  with at least MIN_UNITS_TO_WINSORISE units);
  phi = mean(z_w^2); multiplicative limits 1 +- z sqrt(phi) s_i; additive random effects
  tau2 = max(0, (I phi - (I - 1)) / (sum w - sum w^2 / sum w)), w = 1/s^2, limits
  1 +- z sqrt(s^2 + tau2). The adjusted limits written out are the additive ones, which
  Spiegelhalter 2005b prefers (they do not keep narrowing for huge exposures).
* FunnelPlotR's own ``poisson_limits`` uses the chi-square form of the exact Poisson interval;
  the two agree to within the interpolation (checked in the tests).

No statsmodels function does this, hence these ~30 lines of own code.
"""

from __future__ import annotations

import decimal

import numpy as np
import pandas as pd
from scipy import stats as sps

from brandrep.errors import ParameterError

__all__ = ["poisson_limit", "binomial_limit", "overdispersion", "pearson_dispersion", "transfer_phi",
           "funnel_points", "funnel_limits", "MIN_UNITS_TO_WINSORISE"]

# FunnelPlotR winsorises at 10 %/90 %; with fewer units than this the 10 % quantile is an
# interpolation between the two most extreme units and clips a real outlier's own z (with 3
# brands it clipped the tested brand's z from 48.0 to 35.8), so fewer units are not winsorised.
MIN_UNITS_TO_WINSORISE = 10

Z95, Z998 = sps.norm.ppf(0.975), sps.norm.ppf(0.999)


def poisson_limit(expected, p: float, *, interpolate: bool = True):
    """Exact Poisson control limit for O/E at probability ``p`` (vectorised over ``expected``)."""
    expected = np.asarray(expected, dtype=float)
    r = sps.poisson.ppf(p, expected)
    if not interpolate:
        return r / expected
    f_r, f_below = sps.poisson.cdf(r, expected), sps.poisson.cdf(r - 1, expected)
    a = (f_r - p) / (f_r - f_below)
    return np.maximum((r - a) / expected, 0.0)


def binomial_limit(n, target: float, p: float, *, interpolate: bool = True):
    """Exact binomial control limit for a proportion with denominator ``n`` and target rate."""
    n = np.asarray(n, dtype=float)
    r = sps.binom.ppf(p, n, target)
    if not interpolate:
        return r / n
    f_r, f_below = sps.binom.cdf(r, n, target), sps.binom.cdf(r - 1, n, target)
    a = (f_r - p) / (f_r - f_below)
    return np.maximum((r - a) / n, 0.0)


def overdispersion(z, s, *, trim: float = 0.1) -> tuple[float, float]:
    """(phi, tau2) from plain z-scores and standard errors, winsorised as FunnelPlotR does."""
    z, s = np.asarray(z, dtype=float), np.asarray(s, dtype=float)
    if len(z) >= MIN_UNITS_TO_WINSORISE:
        low, high = np.quantile(z, [trim, 1 - trim])  # numpy's default = R's quantile type 7
        z = np.clip(z, low, high)
    phi = float(np.mean(z ** 2))
    n_units, w = len(z), 1 / s**2
    if n_units * phi < n_units - 1:
        return phi, 0.0
    tau2 = max(0.0, (n_units * phi - (n_units - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    return phi, float(tau2)


def pearson_dispersion(observed, exposure) -> dict:
    """Over-dispersion of a cross-section by its Pearson statistic, not winsorised.

    Q = sum (O - E)^2 / E with E at the pooled rate; phi = Q / (n - 1), the Pearson estimate with
    its n - 1 degrees of freedom (one rate estimated; Spiegelhalter 2005b); tau2 on the O/E scale
    = max(0, (Q - (n - 1)) / (sum w - sum w^2 / sum w)) with w = E (DerSimonian-Laird, the same
    formula as ``overdispersion``). Returns phi, tau2, df and n_units; phi and tau2 are NaN when
    there are fewer than 2 units (no degree of freedom).
    """
    observed = np.asarray(observed, dtype=float)
    exposure = np.asarray(exposure, dtype=float)
    n_units = len(observed)
    if n_units < 2 or exposure.sum() <= 0 or observed.sum() <= 0:
        return {"phi": float("nan"), "tau2": float("nan"), "df": max(n_units - 1, 0), "n_units": n_units}
    expected = exposure * observed.sum() / exposure.sum()
    q = float((((observed - expected) ** 2) / expected).sum())
    df = n_units - 1
    w = expected
    tau2 = max(0.0, (q - df) / (w.sum() - (w**2).sum() / w.sum()))
    return {"phi": q / df, "tau2": float(tau2), "df": df, "n_units": n_units}


def transfer_phi(tau2: float, expected) -> np.ndarray | float:
    """The over-dispersion factor for a unit with expected count ``expected`` under the additive
    random-effects model: Var(O) = E + tau2 * E^2, so phi = 1 + tau2 * E (Spiegelhalter 2005b).
    phi therefore depends on the tested brand's expected count, not on the platform's total."""
    out = 1.0 + float(tau2) * np.asarray(expected, dtype=float)
    return float(out) if out.ndim == 0 else out


def funnel_points(units, observed, exposure, *, dataset: str) -> tuple[pd.DataFrame, dict]:
    """Table ``funnel_points`` for one dataset, plus the fitted theta, phi and tau2."""
    observed = np.asarray(observed, dtype=float)
    exposure = np.asarray(exposure, dtype=float)
    units = list(units)
    if not len(units) == len(observed) == len(exposure):
        raise ParameterError("units, observed and exposure must have the same length")
    if len(units) < 3:
        raise ParameterError(f"dataset {dataset!r}: a funnel needs at least 3 units, got {len(units)}")
    for i, (unit, o, n) in enumerate(zip(units, observed, exposure)):
        if not np.isfinite(n) or n <= 0:
            raise ParameterError(f"dataset {dataset!r}, unit {unit!r}: exposure must be positive, got {n}")
        if not np.isfinite(o) or o < 0:
            raise ParameterError(f"dataset {dataset!r}, unit {unit!r}: observed must be a count >= 0, got {o}")
    theta = observed.sum() / exposure.sum()
    expected = theta * exposure
    ratio = observed / expected
    s = 1 / np.sqrt(expected)
    z_plain = (ratio - 1) / s
    phi, tau2 = overdispersion(z_plain, s)
    z_adjusted = (ratio - 1) / np.sqrt(s**2 + tau2)
    frame = pd.DataFrame(
        {
            "dataset": dataset,
            "unit": units,
            "observed": observed,
            "exposure": exposure,
            "expected": expected,
            "ratio": ratio,
            "z_plain": z_plain,
            "z_adjusted": z_adjusted,
        }
    )
    return frame, {"theta": float(theta), "phi": phi, "tau2": tau2, "df": len(units) - 1,
                   "winsorised": len(units) >= MIN_UNITS_TO_WINSORISE}


def funnel_limits(exposure_grid, *, theta: float, phi: float, tau2: float, dataset: str) -> pd.DataFrame:
    """Table ``funnel_limits``: plain exact limits and additive-adjusted limits for O/E (target 1)."""
    exposure_grid = np.asarray(exposure_grid, dtype=float)
    expected = theta * exposure_grid
    s = 1 / np.sqrt(expected)
    spread = np.sqrt(s**2 + tau2)
    return pd.DataFrame(
        {
            "dataset": dataset,
            "exposure": exposure_grid,
            "target": 1.0,
            "lower_95": poisson_limit(expected, 0.025),
            "upper_95": poisson_limit(expected, 0.975),
            "lower_998": poisson_limit(expected, 0.001),
            "upper_998": poisson_limit(expected, 0.999),
            "lower_95_adj": np.maximum(1 - Z95 * spread, 0.0),  # a ratio of counts is never negative
            "upper_95_adj": 1 + Z95 * spread,
            "lower_998_adj": np.maximum(1 - Z998 * spread, 0.0),
            "upper_998_adj": 1 + Z998 * spread,
            "phi": phi,
            "tau2": tau2,
        }
    )


def exposure_grid(exposure, *, points: int = 200) -> np.ndarray:
    """Log-spaced exposures from a tenth of the smallest to twice the largest unit."""
    exposure = np.asarray(exposure, dtype=float)
    return log_spaced(float(exposure.min()) / 10, float(exposure.max()) * 2, points)


def log_spaced(low: float, high: float, points: int) -> np.ndarray:
    """``points`` log-spaced values from ``low`` to ``high``, like ``np.geomspace``.

    Computed in :mod:`decimal` (software arithmetic, correctly rounded ``ln``/``exp``) rather
    than ``np.geomspace``, whose SIMD ``exp``/``log`` kernels differ by CPU in the last bits;
    the grid, and every limit computed on it, is then the same on every machine.
    """
    with decimal.localcontext() as context:
        context.prec = 40
        start = decimal.Decimal(low)
        log_ratio = (decimal.Decimal(high) / start).ln()
        steps = max(points - 1, 1)
        grid = [float(start * (log_ratio * i / steps).exp()) for i in range(points)]
    if points > 1:
        grid[0], grid[-1] = float(low), float(high)  # the endpoints exactly, as np.geomspace gives them
    return np.array(grid, dtype=float)
