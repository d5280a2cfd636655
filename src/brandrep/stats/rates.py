"""The relative complaint rate R = complaint share / exposure share, its interval and test.

If a brand files a share p of a platform's N complaints and sells a share m of what could be
complained about, its complaints relative to "just volume" are R = p / m = O / E with
E = N * m: an observed/expected ratio, i.e. indirect standardisation (Spiegelhalter 2005,
Stat Med 24:1185). "Just volume" means R = 1.

* Interval: the Clopper-Pearson limits of p divided by m (Clopper & Pearson 1934), repeated at the
  low and high ends of the sourced exposure range.
* One-sided test of "more complaints than volume explains": exact binomial tail
  P(X >= O | N, m) (statsmodels ``binom_test(alternative="larger")``).
* Over-dispersion: brands differ by more than binomial chance (reporting propensity, product mix),
  so the same test with the variance inflated by phi: statsmodels
  ``test_poisson(O, N, m, method="score", dispersion=phi)`` (Cameron & Trivedi 2013, Regression
  Analysis of Count Data, ch. 3: quasi-likelihood variance phi * mu).
* Break-even exposure share: the smallest m at which O of N stops being disproportionate at level
  alpha. Without over-dispersion it is the exact one-sided lower confidence bound of p; phi > 1
  lowers it.
"""

from __future__ import annotations

import math

from scipy import optimize
from statsmodels.stats.proportion import binom_test, proportion_confint
from statsmodels.stats.rates import test_poisson

from brandrep.errors import ParameterError
from brandrep.stats.funnel import transfer_phi
from brandrep.stats._checks import check_alpha, check_phi, check_share, check_total
from brandrep.stats.proportions import one_sided_lower_bound

__all__ = ["phi_for", "p_disproportionate", "rate_ratio", "break_even_share"]


def phi_for(total, exposure_share, *, phi: float = 1.0, tau2: float | None = None) -> float:
    """The dispersion factor the test uses: ``phi`` as given, or with ``tau2`` (between-brand
    variance of O/E from a cross-section) the additive-model transfer 1 + tau2 * E, E = total * m."""
    if tau2 is None:
        return check_phi(phi)
    return check_phi(float(transfer_phi(tau2, total * exposure_share)))


def p_disproportionate(count, total, exposure_share, *, phi: float = 1.0,
                       tau2: float | None = None) -> tuple[float, float]:
    """One-sided p-values for "more complaints than the exposure share predicts".

    Returns (exact binomial p, phi-inflated score p). With phi = 1 the second is the plain
    Poisson score test, a close large-sample match of the first. With ``tau2`` phi is
    1 + tau2 * total * exposure_share (see ``phi_for``).
    """
    count, total = check_total(count, total)
    m = check_share(exposure_share, "exposure_share")
    phi = phi_for(total, m, phi=phi, tau2=tau2)
    p_binomial = float(binom_test(count, total, prop=m, alternative="larger"))
    p_over = float(test_poisson(count, total, m, method="score", alternative="larger", dispersion=phi).pvalue)
    return p_binomial, p_over


def rate_ratio(count, total, exposure_share, *, exposure_low=None, exposure_high=None,
               alpha: float = 0.05, phi: float = 1.0) -> dict:
    """R = (count/total) / exposure_share with its interval and one-sided tests.

    ``rate_ratio_low``/``rate_ratio_high`` combine the sampling interval of the share with the
    sourced exposure range: the low end divides the share's lower limit by the highest exposure
    share, the high end divides its upper limit by the lowest. p-values are at the point exposure.
    """
    count, total = check_total(count, total)
    alpha = check_alpha(alpha)
    m = check_share(exposure_share, "exposure_share")
    m_low = m if exposure_low is None or _missing(exposure_low) else check_share(exposure_low, "exposure_share_low")
    m_high = m if exposure_high is None or _missing(exposure_high) else check_share(exposure_high, "exposure_share_high")
    if not m_low <= m <= m_high:
        raise ParameterError(
            f"exposure range must bracket the point: low {m_low!r} <= share {m!r} <= high {m_high!r}"
        )
    share_low, share_high = (float(x) for x in proportion_confint(count, total, alpha=alpha, method="beta"))
    share = count / total
    p_binomial, p_over = p_disproportionate(count, total, m, phi=phi)
    return {
        "complaints": count,
        "total": total,
        "share": share,
        "share_low": share_low,
        "share_high": share_high,
        "exposure_share": m,
        "exposure_share_low": m_low,
        "exposure_share_high": m_high,
        "rate_ratio": share / m,
        "rate_ratio_low": share_low / m_high,
        "rate_ratio_high": share_high / m_low,
        "p_one_sided": p_binomial,
        "p_overdispersed": p_over,
        "phi": check_phi(phi),
    }


def break_even_share(count, total, *, alpha: float = 0.05, phi: float = 1.0, tau2: float | None = None) -> float:
    """Smallest exposure share at which ``count`` of ``total`` is no longer disproportionate.

    phi = 1: exact binomial, equal to the one-sided Clopper-Pearson lower bound (110 of 726 ->
    13.00 %). phi > 1: the phi-inflated score test's root, found with Brent's method; it is lower,
    because over-dispersion widens what chance can explain.
    """
    count, total = check_total(count, total)
    alpha = check_alpha(alpha)
    phi = check_phi(phi)
    if count == 0:
        return 0.0
    if tau2 is not None and tau2 > 0:  # phi grows with the expected count, so it moves with m
        share = count / total

        def excess_transferred(m: float) -> float:
            return p_disproportionate(count, total, m, tau2=tau2)[1] - alpha

        if excess_transferred(1e-9) >= 0:
            return 0.0
        return float(optimize.brentq(excess_transferred, 1e-9, share, xtol=1e-10))
    if phi == 1.0 or tau2 is not None:
        return one_sided_lower_bound(count, total, alpha=alpha)
    share = count / total

    def excess(m: float) -> float:
        return p_disproportionate(count, total, m, phi=phi)[1] - alpha

    low = 1e-9
    if excess(low) >= 0:  # even a vanishing exposure share is not significant
        return 0.0
    return float(optimize.brentq(excess, low, share, xtol=1e-10))


def _missing(value) -> bool:
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return False
