"""Count models with exposure and the slope-1 "just volume" test."""

import numpy as np
import pytest

from brandrep.errors import ParameterError
from brandrep.stats import models


def test_proportional_counts_give_slope_one_and_rate_ratio_one():
    volumes = np.array([100.0, 200.0, 400.0, 800.0, 1600.0])
    counts = volumes * 0.5  # exactly proportional
    result = models.just_volume_test(counts, volumes)
    assert result["slope"] == pytest.approx(1.0, abs=1e-6)
    table = models.count_models(counts, volumes, brands=list("abcde"), focus="c")
    assert list(table["model"]) == ["poisson", "quasi-poisson", "negative-binomial"]
    fitted = table[table["fitted"]]
    assert np.allclose(fitted["rate_ratio"], 1.0, atol=1e-4) and len(fitted) >= 2
    # no extra-Poisson variation at all puts NB2's alpha on its boundary: no converged fit, no numbers
    assert table["reason"][~table["fitted"]].str.startswith("not fitted").all()


def test_focus_brand_with_three_times_the_rate_is_detected():
    volumes = np.array([1000.0, 2000.0, 3000.0, 4000.0, 5000.0, 6000.0])
    counts = np.array([10, 20, 90, 40, 50, 60])  # brand c: 3x the others' rate
    table = models.count_models(counts, volumes, brands=list("abcdef"), focus="c").set_index("model")
    assert table.loc["poisson", "rate_ratio"] == pytest.approx(3.0, rel=1e-4)
    assert table.loc["poisson", "p_value"] < 1e-6


def test_quasi_poisson_keeps_the_estimate_and_widens_the_interval_when_overdispersed():
    volumes = np.array([1000.0, 2000.0, 3000.0, 4000.0, 5000.0, 6000.0])
    counts = np.array([10, 35, 90, 25, 70, 45])
    table = models.count_models(counts, volumes, brands=list("abcdef"), focus="c").set_index("model")
    poisson, quasi = table.loc["poisson"], table.loc["quasi-poisson"]
    assert quasi["dispersion"] > 1
    assert quasi["rate_ratio"] == pytest.approx(poisson["rate_ratio"])
    assert quasi["rate_ratio_low"] < poisson["rate_ratio_low"] and quasi["rate_ratio_high"] > poisson["rate_ratio_high"]
    assert quasi["p_value"] > poisson["p_value"]


def test_slope_test_rejects_when_complaints_do_not_follow_volume():
    rng = np.random.default_rng(1)
    volumes = np.geomspace(1e3, 1e6, 12)
    counts = rng.poisson(50 * np.ones_like(volumes))  # flat: slope 0
    result = models.just_volume_test(counts, volumes)
    assert result["slope_high"] < 1 and result["p_slope_is_1"] < 0.001


def test_dispersion_test_sees_overdispersion():
    rng = np.random.default_rng(2)
    volumes = np.full(30, 1000.0)
    counts = rng.negative_binomial(2, 2 / (2 + 100), size=30)  # mean 100, var >> mean
    table = models.dispersion_test(counts, volumes)
    assert table.set_index("method").loc["Dean A", "p_value"] < 0.001


def test_bad_model_input():
    with pytest.raises(ParameterError, match=r"volume \(row 2\)"):
        models.just_volume_test([1, 2, 3], [10, 0, 30])
    with pytest.raises(ParameterError, match="at least 3"):
        models.just_volume_test([1, 2], [10, 20])
    with pytest.raises(ParameterError, match="not among"):
        models.count_models([1, 2, 3], [1, 2, 3], brands=list("abc"), focus="z")


def test_a_model_with_too_few_observations_is_not_fitted_and_says_why():
    """Issue 14, point 6: NB2 on 3 brands (3 parameters) gave alpha 3e-10, converged False, NaN
    intervals, and was displayed as a result."""
    table = models.count_models([1312, 652, 472], [1.041e11, 2.6953e11, 1.9004e11], brands=["xiaomi", "midea", "gree"],
                                focus="xiaomi").set_index("model")
    nb = table.loc["negative-binomial"]
    assert not nb["fitted"] and "3 observations for 3 parameters" in nb["reason"]
    assert np.isnan([nb["rate_ratio"], nb["rate_ratio_low"], nb["rate_ratio_high"], nb["dispersion"]]).all()
    assert table.loc["poisson", "fitted"] and table.loc["quasi-poisson", "fitted"]
    assert table.loc["quasi-poisson", "df_resid"] == 1
    assert list(table.reset_index().columns) == models.COUNT_MODEL_COLUMNS


def test_dispersion_tests_carry_df_and_agreement():
    table = models.dispersion_test([1312, 652, 472], [1.041e11, 2.6953e11, 1.9004e11])
    assert set(table["df"]) == {2} and set(table["alpha"]) == {0.05}
    assert (table["rejects"] == (table["p_value"] < 0.05)).all()
    assert table["tests_agree"].iloc[0] == (table["rejects"].all() or not table["rejects"].any())
