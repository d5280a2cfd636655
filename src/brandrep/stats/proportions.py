"""Complaint shares with exact and simultaneous confidence intervals.

A complaint share such as "15.15 % of 726" is a binomial proportion: the interval says how far
the platform's own count could move by chance alone. Methods:

* Clopper, C. J. & Pearson, E. S. (1934). The use of confidence or fiducial limits illustrated in
  the case of the binomial. Biometrika 26(4):404-413. Exact (conservative) interval; the default.
  statsmodels ``proportion_confint(method="beta")``. Central: at count 0 its coverage is only
  1 - alpha/2 (statsmodels docs), so one-sided bounds come from ``alpha=2*alpha``.
* Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
  JASA 22(158):209-212. Score interval, a cross-check (``method="wilson"``).
* Goodman, L. A. (1965). On simultaneous confidence intervals for multinomial proportions.
  Technometrics 7(2):247-254; Sison, C. P. & Glaz, J. (1995). Simultaneous confidence intervals
  and sample size determination for multinomial proportions. JASA 90(429):366-369. Used when
  several brands are compared at once (``multinomial_proportions_confint``); an "other brands"
  cell makes the counts add up to the platform total.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import stats as sps
from statsmodels.stats.proportion import multinomial_proportions_confint, proportion_confint

from brandrep.errors import ParameterError
from brandrep.stats._checks import check_alpha, check_count, check_total

__all__ = [
    "share_interval",
    "one_sided_lower_bound",
    "simultaneous_intervals",
    "leader_margin",
]


def share_interval(count, total, *, alpha: float = 0.05, method: str = "beta") -> tuple[float, float, float]:
    """Share ``count/total`` with its two-sided ``1-alpha`` interval (Clopper-Pearson by default)."""
    count, total = check_total(count, total)
    alpha = check_alpha(alpha)
    if method not in {"beta", "wilson"}:
        raise ParameterError(f"method must be 'beta' (Clopper-Pearson) or 'wilson', got {method!r}")
    low, high = proportion_confint(count, total, alpha=alpha, method=method)
    return count / total, float(low), float(high)


def one_sided_lower_bound(count, total, *, alpha: float = 0.05) -> float:
    """Exact one-sided ``1-alpha`` lower confidence bound for the share (Clopper-Pearson).

    It equals the exposure share at which the one-sided exact binomial test of ``count`` out of
    ``total`` has p = alpha, i.e. the break-even exposure share without over-dispersion.
    """
    count, total = check_total(count, total)
    alpha = check_alpha(alpha)
    low, _ = proportion_confint(count, total, alpha=2 * alpha, method="beta")
    return float(low)


def simultaneous_intervals(counts: Mapping[str, int], total=None, *, alpha: float = 0.05, method: str | None = None) -> pd.DataFrame:
    """Simultaneous intervals for several brands' shares of one platform total.

    ``counts`` maps brand -> count; if ``total`` exceeds their sum an ``other`` cell takes the
    remainder, so the cells partition the total. ``method`` defaults to Sison-Glaz when there are
    at least 7 cells (its requirement) and Goodman otherwise (Goodman wants every count >= 5).
    Returns brand, complaints, share, share_low, share_high, method.
    """
    alpha = check_alpha(alpha)
    if not counts:
        raise ParameterError("counts is empty: give at least one brand's complaint count")
    names = list(counts)
    values = [check_count(counts[name], f"counts[{name!r}]") for name in names]
    if total is not None:
        total = check_count(total, "total")
        if sum(values) > total:
            raise ParameterError(f"brand counts add up to {sum(values)}, more than total = {total}")
        if total > sum(values):
            names.append("other")
            values.append(total - sum(values))
    if len(values) < 2:
        raise ParameterError("simultaneous intervals need at least two cells (a brand and 'other')")
    if method is None:
        method = "sison-glaz" if len(values) >= 7 else "goodman"
    if method not in {"goodman", "sison-glaz"}:
        raise ParameterError(f"method must be 'goodman' or 'sison-glaz', got {method!r}")
    bounds = multinomial_proportions_confint(np.asarray(values), alpha=alpha, method=method)
    n = sum(values)
    return pd.DataFrame(
        {
            "brand": names,
            "complaints": values,
            "share": [v / n for v in values],
            "share_low": bounds[:, 0],
            "share_high": bounds[:, 1],
            "method": method,
        }
    )


def leader_margin(leader_count, total, *, alpha: float = 0.05) -> dict:
    """How far ahead must a complaint-share leader be to be a leader beyond chance?

    Conditional on the two brands' combined count, the leader's count is binomial(n, 1/2) under
    "equal rates"; the leader is ahead at level alpha (one-sided exact test) only if the runner-up
    has at most ``max_runner_up`` complaints. Also returns the fewest other brands that must
    exist for the leader to be top at all (every other brand below the leader's count).
    """
    leader_count, total = check_total(leader_count, total, count_name="leader_count")
    alpha = check_alpha(alpha)
    rest = total - leader_count
    max_runner_up = -1
    for runner_up in range(min(leader_count, rest) + 1):
        p = sps.binomtest(leader_count, leader_count + runner_up, 0.5, alternative="greater").pvalue
        if p < alpha:
            max_runner_up = runner_up
        else:
            break
    min_other_brands = math.ceil(rest / (leader_count - 1)) if leader_count > 1 else None
    return {
        "leader_count": leader_count,
        "total": total,
        "max_runner_up": max_runner_up,
        "max_runner_up_share": max_runner_up / total if max_runner_up >= 0 else float("nan"),
        "min_other_brands": min_other_brands,
    }
