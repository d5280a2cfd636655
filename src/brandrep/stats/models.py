"""Count models with exposure: is a brand's complaint count "just volume"?

Complaints are counts, so they are modelled as Poisson with the brand's volume as exposure
(log link, log(volume) as offset), following Cameron, A. C. & Trivedi, P. K. (2013), Regression
Analysis of Count Data, 2nd ed., Cambridge UP (ch. 3 Poisson and quasi-Poisson, negative
binomial NB2; ch. 5 dispersion tests):

* Poisson GLM with exposure (statsmodels ``GLM(..., family=Poisson(), exposure=volume)``);
* quasi-Poisson: the same fit with ``scale="X2"`` (SE times sqrt(Pearson X2/df));
* negative binomial NB2 with alpha *estimated* by ``statsmodels.discrete.NegativeBinomial``. The
  GLM family ``NegativeBinomial(alpha=...)`` does not estimate alpha (it silently uses 1.0;
  statsmodels issue #8360), which is why it is not used here;
* the "just volume" test: no offset, log(mu) = b0 + b1 log(volume), H0: b1 = 1 (complaints
  proportional to volume), on the quasi-Poisson fit with t reference (few brands);
* the dispersion test of Dean (1992) and Cameron & Trivedi (1990) via
  ``Poisson(...).fit().get_diagnostic().test_dispersion()``.

With three to ten brands every one of these is fragile: phi and alpha are barely identified. The
functions return the residual degrees of freedom so the notebook can say so.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

from brandrep.errors import ParameterError

__all__ = ["count_models", "just_volume_test", "dispersion_test"]


def _arrays(counts, volumes, *, minimum: int):
    counts = np.asarray(counts, dtype=float)
    volumes = np.asarray(volumes, dtype=float)
    if counts.shape != volumes.shape or counts.ndim != 1:
        raise ParameterError("counts and volumes must be one-dimensional and of the same length")
    if len(counts) < minimum:
        raise ParameterError(f"need at least {minimum} brands with counts and volumes, got {len(counts)}")
    for i, (count, volume) in enumerate(zip(counts, volumes), start=1):
        if not np.isfinite(volume) or volume <= 0:
            raise ParameterError(f"volume (row {i}) must be a positive number, got {volume}")
        if not np.isfinite(count) or count < 0 or count != round(count):
            raise ParameterError(f"complaint count (row {i}) must be a whole number >= 0, got {count}")
    return counts, volumes


def count_models(counts, volumes, *, brands, focus: str) -> pd.DataFrame:
    """Rate ratio of ``focus`` against the pooled other brands under three count models.

    Returns one row per model: model, rate_ratio, rate_ratio_low, rate_ratio_high, p_value,
    dispersion (phi for quasi-Poisson, alpha for NB2), df_resid, converged.
    """
    counts, volumes = _arrays(counts, volumes, minimum=3)
    brands = list(brands)
    if focus not in brands:
        raise ParameterError(f"brand {focus!r} is not among the modelled brands {brands}")
    exog = sm.add_constant(np.array([1.0 if b == focus else 0.0 for b in brands]))
    rows = []
    for name, scale in (("poisson", None), ("quasi-poisson", "X2")):
        with warnings.catch_warnings():
            # a count model that fits exactly is not "separation"; the estimates stand
            warnings.simplefilter("ignore", PerfectSeparationWarning)
            fit = sm.GLM(counts, exog, family=sm.families.Poisson(), exposure=volumes).fit(
                scale=scale, use_t=scale is not None
            )
        low, high = fit.conf_int()[1]
        rows.append(
            {"model": name, "rate_ratio": np.exp(fit.params[1]), "rate_ratio_low": np.exp(low),
             "rate_ratio_high": np.exp(high), "p_value": float(fit.pvalues[1]),
             "dispersion": float(fit.scale), "df_resid": float(fit.df_resid), "converged": True}
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # few brands: convergence warnings are reported via `converged`
        nb = sm.NegativeBinomial(counts, exog, exposure=volumes).fit(disp=0, maxiter=200)
    low, high = nb.conf_int()[1]
    rows.append(
        {"model": "negative-binomial", "rate_ratio": np.exp(nb.params[1]), "rate_ratio_low": np.exp(low),
         "rate_ratio_high": np.exp(high), "p_value": float(nb.pvalues[1]), "dispersion": float(nb.params[-1]),
         "df_resid": float(nb.df_resid), "converged": bool(nb.mle_retvals.get("converged", False))}
    )
    return pd.DataFrame(rows)


def just_volume_test(counts, volumes) -> dict:
    """Slope of log complaints on log volume (quasi-Poisson) and the test of slope = 1.

    A slope of 1 is "complaints grow in proportion to volume"; below 1, big brands draw fewer
    complaints per unit; above 1, more.
    """
    counts, volumes = _arrays(counts, volumes, minimum=3)
    exog = sm.add_constant(np.log(volumes))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PerfectSeparationWarning)
        fit = sm.GLM(counts, exog, family=sm.families.Poisson()).fit(scale="X2", use_t=True)
    test = fit.t_test((np.array([[0.0, 1.0]]), np.array([1.0])))
    low, high = fit.conf_int()[1]
    return {
        "slope": float(fit.params[1]),
        "slope_low": float(low),
        "slope_high": float(high),
        "p_slope_is_1": float(np.asarray(test.pvalue).ravel()[0]),
        "phi": float(fit.scale),
        "df_resid": float(fit.df_resid),
    }


def dispersion_test(counts, volumes) -> pd.DataFrame:
    """Poisson dispersion tests (Dean; Cameron-Trivedi) for counts with volume as exposure."""
    counts, volumes = _arrays(counts, volumes, minimum=3)
    fit = sm.Poisson(counts, np.ones((len(counts), 1)), exposure=volumes).fit(disp=0)
    result = fit.get_diagnostic().test_dispersion()
    return pd.DataFrame(
        {"method": list(result.method), "alternative": list(result.alternative),
         "statistic": np.asarray(result.statistic, dtype=float), "p_value": np.asarray(result.pvalue, dtype=float)}
    )
