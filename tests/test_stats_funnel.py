"""Funnel limits against hand-computed exact Poisson and binomial quantiles."""

import numpy as np
import pytest
from scipy import stats

from brandrep.errors import ParameterError
from brandrep.stats import funnel


def test_uninterpolated_limits_are_exact_poisson_quantiles():
    # E = 10: the 2.5 % and 97.5 % quantiles of Poisson(10) are 4 and 17 (cdf(3)=0.0103,
    # cdf(4)=0.0293; cdf(16)=0.9730, cdf(17)=0.9857), so O/E limits are 0.4 and 1.7.
    assert funnel.poisson_limit(10, 0.025, interpolate=False) == pytest.approx(0.4)
    assert funnel.poisson_limit(10, 0.975, interpolate=False) == pytest.approx(1.7)
    assert funnel.poisson_limit([10, 100], 0.999, interpolate=False) == pytest.approx([2.1, 132 / 100])


def test_interpolated_limit_by_hand():
    # Spiegelhalter's interpolation at E = 10, p = 0.975: r = 17, a = (F(17) - p) / (F(17) - F(16)).
    f17, f16 = stats.poisson.cdf(17, 10), stats.poisson.cdf(16, 10)
    a = (f17 - 0.975) / (f17 - f16)
    assert funnel.poisson_limit(10, 0.975) == pytest.approx((17 - a) / 10)
    assert 1.6 < funnel.poisson_limit(10, 0.975) < 1.7


def test_limits_agree_with_funnelplotr_chi_square_form_for_large_counts():
    expected = np.array([50.0, 500.0, 5000.0])
    upper_chi2 = stats.chi2.ppf(0.975, 2 * expected) / 2 / expected  # FunnelPlotR poisson_limits UCL95
    assert funnel.poisson_limit(expected, 0.975) == pytest.approx(upper_chi2, rel=0.02)


def test_binomial_limits_by_hand():
    # n = 100, target 0.2: binom.ppf(0.975) = 28, so the plain limit is 0.28.
    assert funnel.binomial_limit(100, 0.2, 0.975, interpolate=False) == pytest.approx(0.28)
    assert 0.27 < funnel.binomial_limit(100, 0.2, 0.975) <= 0.28


def test_limits_narrow_as_exposure_grows_and_bracket_target():
    table = funnel.funnel_limits([1e3, 1e4, 1e5], theta=0.01, phi=1.0, tau2=0.0, dataset="toy")
    assert (np.diff(table["upper_95"]) < 0).all() and (np.diff(table["lower_95"]) > 0).all()
    assert (table["lower_998"] < table["lower_95"]).all() and (table["upper_95"] < table["upper_998"]).all()
    assert ((table["lower_95"] < 1) & (table["upper_95"] > 1)).all()


def test_no_overdispersion_when_units_agree():
    observed = [100, 200, 300, 400]
    points, fit = funnel.funnel_points(list("abcd"), observed, [1000, 2000, 3000, 4000], dataset="flat")
    assert fit["theta"] == pytest.approx(0.1)
    assert np.allclose(points["ratio"], 1) and fit["tau2"] == 0.0
    assert np.allclose(points["z_plain"], points["z_adjusted"])


def test_bad_funnel_input():
    with pytest.raises(ParameterError, match="exposure must be positive"):
        funnel.funnel_points(list("abc"), [1, 2, 3], [10, 0, 5], dataset="d")
    with pytest.raises(ParameterError, match="at least 3 units"):
        funnel.funnel_points(list("ab"), [1, 2], [10, 5], dataset="d")


def test_adjusted_limits_never_go_below_zero():
    table = funnel.funnel_limits([10.0, 100.0], theta=1.0, phi=500.0, tau2=4.0, dataset="wide")
    assert (table["lower_998_adj"] == 0).all() and (table["upper_998_adj"] > 1).all()
