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
  so the same one-sided tail under a beta-binomial with the binomial variance inflated by phi,
  Var(O) = phi * N m (1 - m), i.e. intra-class correlation rho = (phi - 1) / (N - 1)
  (``scipy.stats.betabinom``; Williams 1982, Applied Statistics 31:144). One model family per
  test: the complaint share is binomial, so its over-dispersion is binomial too; the (1 - m)
  factor stays, and at phi = 1 the test *is* the exact binomial, so the break-even share does not
  jump between phi = 1 and phi = 1.000001 (it jumped from 13.00 % to 12.95 % when the adjusted
  test was a Poisson score test without the (1 - m) factor, issue 14 point 7). With ``tau2`` from
  a cross-section phi = 1 + tau2 * E, E = N m (``funnel.transfer_phi``).
* Break-even exposure share: the smallest m at which O of N stops being disproportionate at level
  alpha. Without over-dispersion it is the exact one-sided lower confidence bound of p; phi > 1
  lowers it.
"""

from __future__ import annotations

import math

from scipy import optimize
import numpy as np
from scipy import stats as sps
from statsmodels.stats.proportion import proportion_confint

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
                       tau2: float | None = None):
    """One-sided p-values for "more complaints than the exposure share predicts".

    Returns (exact binomial p, over-dispersed p): P(X >= count) under Binomial(total, m) and
    under the beta-binomial with variance phi * total * m (1 - m) (module docstring); with
    phi = 1 both are the exact binomial tail. With ``tau2`` phi is 1 + tau2 * total * m at each
    share (see ``phi_for``). ``exposure_share`` may be an array (the tipping-point curve and the
    Monte Carlo use this one function): then both p-values are arrays.
    """
    count, total = check_total(count, total)
    shares = np.asarray(exposure_share, dtype=float)
    if shares.ndim == 0:
        m = check_share(float(shares), "exposure_share")
        phi = phi_for(total, m, phi=phi, tau2=tau2)
        return float(sps.binom.sf(count - 1, total, m)), float(_beta_binomial_sf(count, total, m, phi))
    phis = (np.full(shares.shape, check_phi(phi)) if tau2 is None
            else 1.0 + float(tau2) * total * shares)  # funnel.transfer_phi, at every share
    p_binomial = sps.binom.sf(count - 1, total, shares)
    return np.asarray(p_binomial, dtype=float), np.asarray(_beta_binomial_sf(count, total, shares, phis), dtype=float)


# Below this intra-class correlation the beta-binomial is the binomial (its variance is larger by
# a factor 1 + rho (n - 1), under 1 + 1e-6 for any platform total below a million), and its
# log-beta terms, of size (a + b) ~ 1 / rho, cancel to noise: at phi = 1 + 2e-16 they gave p = 1.
RHO_BINOMIAL = 1e-12


def _beta_binomial_sf(count: int, total: int, m, phi):
    """P(X >= count) for X beta-binomial with mean total * m and variance phi * total * m (1 - m);
    phi = 1 is the binomial itself. phi above total (rho > 1) is capped just below rho = 1."""
    m, phi = np.asarray(m, dtype=float), np.asarray(phi, dtype=float)
    rho = np.clip((phi - 1.0) / max(total - 1, 1), 0.0, 1.0 - 1e-12)
    rho = np.where(rho < RHO_BINOMIAL, 0.0, rho)
    binomial = sps.binom.sf(count - 1, total, m)
    shape = np.broadcast(m, rho).shape
    m_flat, rho_flat = np.broadcast_to(m, shape).ravel(), np.broadcast_to(rho, shape).ravel()
    beta = np.full(m_flat.shape, np.nan)
    # a share of 1 or 0 is degenerate: every complaint is, or none is, the brand's
    beta[m_flat >= 1] = 1.0
    beta[m_flat <= 0] = 0.0 if count > 0 else 1.0
    use = np.flatnonzero((rho_flat > 0) & (m_flat > 0) & (m_flat < 1))
    for chunk in np.array_split(use, max(1, len(use) // 2000 + 1)):  # bounded memory for 10,000 draws
        if chunk.size:
            r, mu = rho_flat[chunk], m_flat[chunk]
            beta[chunk] = _beta_binomial_tail(count, total, mu * (1 - r) / r, (1 - mu) * (1 - r) / r)
    beta = np.minimum(beta, 1.0).reshape(shape) if shape else float(np.minimum(beta[0], 1.0))
    return np.where(rho > 0, beta, binomial)


def _beta_binomial_tail(count: int, total: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """sum_{k >= count} of the beta-binomial pmf, in log space: the pmf at ``count`` from log-beta
    functions, the later terms by the ratio pmf(k + 1) / pmf(k) = (n - k)(k + a) / ((k + 1)(n - k - 1 + b)).
    The far tail keeps its digits (scipy's betabinom.sf is 1 - cdf, which cancels to 0 there, and
    sums the pmf element by element, too slow for the Monte Carlo)."""
    from scipy.special import betaln, gammaln, logsumexp

    log_first = (gammaln(total + 1) - gammaln(count + 1) - gammaln(total - count + 1)
                 + betaln(count + a, total - count + b) - betaln(a, b))
    if count >= total:
        return np.exp(log_first)
    k = np.arange(count, total, dtype=float)[:, None]
    log_ratios = np.log((total - k) * (k + a)) - np.log((k + 1) * (total - k - 1 + b))
    steps = np.vstack([np.zeros((1, len(a))), np.cumsum(log_ratios, axis=0)])
    return np.exp(log_first + logsumexp(steps, axis=0))


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
    p_binomial, p_over = p_disproportionate(count, total, m, phi=phi)  # at the point share
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
    13.00 %). phi > 1: the root of the beta-binomial tail (``p_disproportionate``), found with
    Brent's method; it is lower, because over-dispersion widens what chance can explain, and it
    tends to the phi = 1 value as phi tends to 1.
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


RATE_COLUMNS = ["period_start", "period_end", "brand", "complaints", "measure", "category", "denominator",
                "denominator_unit", "rate", "rate_unit", "peers_rate", "ratio_to_peers", "source_ids"]
REVENUE_PER = 1e8  # 1 亿元
UNITS_PER = 1e4


def complaint_rates(counts, denominators, *, start: str, end: str):
    """Absolute complaint rates per brand and per denominator choice: complaints per 亿元 (10^8
    元) of revenue, for every revenue figure of the brand (group, segment, region), and per 10,000
    units for every unit volume. ``peers_rate`` pools the other brands with counts, each at its
    point revenue (``inputs.brand_revenue``) or the same measure and category; ``ratio_to_peers``
    shows how far the choice of figure moves the comparison (issue 14, point 10).

    ``counts``: brand, complaints for one period; ``denominators``: rows of that period.
    """
    import pandas as pd

    from brandrep.stats import inputs

    counts = counts[["brand", "complaints"]].drop_duplicates("brand")
    known = dict(zip(counts["brand"], counts["complaints"].astype(int)))
    rows = denominators[denominators["brand"].isin(set(known))]
    points = inputs.brand_revenue(rows).set_index("brand")["value"] if len(rows) else pd.Series(dtype=float)
    out = []
    for r in rows.itertuples():
        unit = inputs.unit_key(r.unit)
        value = inputs.as_float(r.value)
        if r.measure == "revenue" and unit == "CNY":
            scale, rate_unit = REVENUE_PER, "complaints per 亿元 revenue"
            peers = [b for b in known if b != r.brand and b in points.index]
            peer_denominator = sum(float(points[b]) for b in peers)
        elif r.measure in inputs.VOLUME_MEASURES and unit == "units":
            scale, rate_unit = UNITS_PER, "complaints per 10,000 units"
            same = rows[(rows["measure"] == r.measure) & (rows["category"] == r.category) & (rows["brand"] != r.brand)]
            same = same.drop_duplicates("brand")
            peers = list(same["brand"])
            peer_denominator = float(same["value"].astype(float).sum())
        else:
            continue
        rate = known[r.brand] / (value / scale)
        peers_rate = (sum(known[b] for b in peers) / (peer_denominator / scale)) if peers and peer_denominator > 0 else float("nan")
        out.append({"period_start": start, "period_end": end, "brand": r.brand, "complaints": known[r.brand],
                    "measure": r.measure, "category": str(r.category), "denominator": value,
                    "denominator_unit": str(r.unit), "rate": rate, "rate_unit": rate_unit, "peers_rate": peers_rate,
                    "ratio_to_peers": rate / peers_rate if peers_rate == peers_rate else float("nan"),
                    "source_ids": str(getattr(r, "source_ids", ""))})
    frame = pd.DataFrame(out, columns=RATE_COLUMNS)
    return frame.sort_values(["brand", "rate_unit", "measure", "category", "source_ids"], kind="stable").reset_index(drop=True)
