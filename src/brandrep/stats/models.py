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

With three to ten brands every one of these is fragile: phi and alpha are barely identified. A
model is fitted only with at least one observation more than it has parameters (Poisson and the
slope test: 2 coefficients; quasi-Poisson: the same 2, its scale estimated on the residual df;
NB2: 2 plus alpha), so with 3 brands the negative binomial is *not fitted* (3 observations for 3
parameters gave alpha 3e-10, no convergence and NaN intervals), and a fit that does not
converge or gives no finite interval is reported as not fitted, with the reason, never as
numbers. The dispersion tests carry their degrees of freedom and whether they agree.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

from brandrep.errors import ParameterError

__all__ = ["count_models", "just_volume_test", "dispersion_test", "MODEL_PARAMETERS", "COUNT_MODEL_COLUMNS"]

# parameters each model estimates (coefficients plus any dispersion parameter)
# (quasi-Poisson's scale is a moment estimate on the residual df, not a likelihood parameter: it
# needs one residual df, as the rule "parameters + 1 observations" already ensures)
MODEL_PARAMETERS = {"poisson": 2, "quasi-poisson": 2, "negative-binomial": 3}
COUNT_MODEL_COLUMNS = ["model", "rate_ratio", "rate_ratio_low", "rate_ratio_high", "p_value", "dispersion",
                       "df_resid", "converged", "n_obs", "n_parameters", "fitted", "reason"]


def _not_fitted(model: str, n_obs: int, reason: str, converged=False) -> dict:
    return {"model": model, "rate_ratio": np.nan, "rate_ratio_low": np.nan, "rate_ratio_high": np.nan,
            "p_value": np.nan, "dispersion": np.nan, "df_resid": float(n_obs - MODEL_PARAMETERS[model]),
            "converged": bool(converged), "n_obs": n_obs, "n_parameters": MODEL_PARAMETERS[model], "fitted": False,
            "reason": reason}


def _too_few(model: str, n_obs: int) -> str | None:
    need = MODEL_PARAMETERS[model] + 1
    if n_obs < need:
        return f"not fitted: {n_obs} observations for {MODEL_PARAMETERS[model]} parameters (needs at least {need})"
    return None


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

    Returns one row per model (``COUNT_MODEL_COLUMNS``): model, rate_ratio, rate_ratio_low,
    rate_ratio_high, p_value, dispersion (phi for quasi-Poisson, alpha for NB2), df_resid,
    converged, n_obs, n_parameters, fitted and reason. A model with fewer observations than its
    parameters + 1, or whose fit does not converge or gives no finite interval, is not fitted: its
    numbers are NaN and ``reason`` says why.
    """
    counts, volumes = _arrays(counts, volumes, minimum=3)
    brands = list(brands)
    if focus not in brands:
        raise ParameterError(f"brand {focus!r} is not among the modelled brands {brands}")
    exog = sm.add_constant(np.array([1.0 if b == focus else 0.0 for b in brands]))
    rows, n_obs = [], len(counts)
    for name, scale in (("poisson", None), ("quasi-poisson", "X2")):
        if (why := _too_few(name, n_obs)) is not None:
            rows.append(_not_fitted(name, n_obs, why))
            continue
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
             "dispersion": float(fit.scale), "df_resid": float(fit.df_resid), "converged": True,
             "n_obs": n_obs, "n_parameters": MODEL_PARAMETERS[name], "fitted": True, "reason": ""}
        )
    if (why := _too_few("negative-binomial", n_obs)) is not None:
        rows.append(_not_fitted("negative-binomial", n_obs, why))
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # few brands: convergence is checked below
            nb = sm.NegativeBinomial(counts, exog, exposure=volumes).fit(disp=0, maxiter=200)
        low, high = nb.conf_int()[1]
        converged = bool(nb.mle_retvals.get("converged", False))
        if not converged or not np.isfinite([low, high]).all():
            rows.append(_not_fitted("negative-binomial", n_obs, "not fitted: the maximum-likelihood fit did not "
                                    "converge" if not converged else "not fitted: no finite interval (alpha at "
                                    "its boundary)", converged=converged))
        else:
            rows.append(
                {"model": "negative-binomial", "rate_ratio": np.exp(nb.params[1]), "rate_ratio_low": np.exp(low),
                 "rate_ratio_high": np.exp(high), "p_value": float(nb.pvalues[1]), "dispersion": float(nb.params[-1]),
                 "df_resid": float(nb.df_resid), "converged": True, "n_obs": n_obs,
                 "n_parameters": MODEL_PARAMETERS["negative-binomial"], "fitted": True, "reason": ""}
            )
    return pd.DataFrame(rows, columns=COUNT_MODEL_COLUMNS)


def just_volume_test(counts, volumes) -> dict:
    """Slope of log complaints on log volume (quasi-Poisson) and the test of slope = 1.

    A slope of 1 is "complaints grow in proportion to volume"; below 1, big brands draw fewer
    complaints per unit; above 1, more.
    """
    counts, volumes = _arrays(counts, volumes, minimum=3)  # 2 coefficients + a scale: 3 observations, 1 df
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


def dispersion_test(counts, volumes, *, alpha: float = 0.05) -> pd.DataFrame:
    """Poisson dispersion tests (Dean; Cameron-Trivedi) for counts with volume as exposure.

    Each row carries the degrees of freedom (observations minus the one rate estimated), whether
    it rejects equidispersion at ``alpha`` and whether all the tests agree: with a handful of
    brands they often do not (p near 0 against 0.57 on 2 df), and then none of them decides.
    """
    counts, volumes = _arrays(counts, volumes, minimum=3)
    fit = sm.Poisson(counts, np.ones((len(counts), 1)), exposure=volumes).fit(disp=0)
    result = fit.get_diagnostic().test_dispersion()
    p_values = np.asarray(result.pvalue, dtype=float)
    rejects = p_values < alpha
    return pd.DataFrame(
        {"method": list(result.method), "alternative": list(result.alternative),
         "statistic": np.asarray(result.statistic, dtype=float), "p_value": p_values,
         "df": len(counts) - 1, "alpha": float(alpha), "rejects": rejects,
         "tests_agree": bool(rejects.all() or not rejects.any())}
    )
