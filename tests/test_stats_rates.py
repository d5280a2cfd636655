"""Shares, rate ratios and break-even shares on the newspaper's case (110 of 726)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brandrep.errors import ParameterError
from brandrep.stats import proportions, rates


def test_exact_interval_for_110_of_726():
    share, low, high = proportions.share_interval(110, 726)
    assert round(low * 100, 2) == 12.62 and round(high * 100, 2) == 17.97
    assert round(proportions.one_sided_lower_bound(110, 726) * 100, 2) == 13.00
    _, w_low, w_high = proportions.share_interval(110, 726, method="wilson")
    assert low < w_low < share < w_high < high  # Wilson is the (narrower) check


def test_rate_ratio_at_10_and_15_percent():
    at10 = rates.rate_ratio(110, 726, 0.10)
    assert round(at10["rate_ratio"], 2) == 1.52
    assert at10["p_one_sided"] == pytest.approx(8.7e-6, rel=0.01)
    at15 = rates.rate_ratio(110, 726, 0.15)
    assert round(at15["rate_ratio"], 2) == 1.01
    assert round(at15["p_one_sided"], 2) == 0.47


def test_rate_ratio_interval_widens_with_exposure_range():
    point = rates.rate_ratio(110, 726, 0.11)
    ranged = rates.rate_ratio(110, 726, 0.11, exposure_low=0.07, exposure_high=0.12)
    assert ranged["rate_ratio_low"] < point["rate_ratio_low"] < point["rate_ratio"] < point["rate_ratio_high"] < ranged["rate_ratio_high"]
    assert ranged["rate_ratio_high"] == pytest.approx(ranged["share_high"] / 0.07)


def test_break_even_share_without_and_with_overdispersion():
    plain = rates.break_even_share(110, 726)
    assert round(plain * 100, 2) == 13.00
    assert rates.p_disproportionate(110, 726, plain)[0] == pytest.approx(0.05, abs=1e-6)
    inflated = rates.break_even_share(110, 726, phi=3.0)
    assert inflated < plain
    assert rates.p_disproportionate(110, 726, inflated, phi=3.0)[1] == pytest.approx(0.05, abs=1e-6)
    assert rates.break_even_share(110, 726, phi=6.0) < inflated


def test_leader_margin_needs_a_small_runner_up():
    margin = proportions.leader_margin(110, 726)
    assert 0 < margin["max_runner_up"] < 110
    assert margin["min_other_brands"] == 6  # 616 others split below 110 each
    from scipy.stats import binomtest
    assert binomtest(110, 110 + margin["max_runner_up"], 0.5, alternative="greater").pvalue < 0.05
    assert binomtest(110, 111 + margin["max_runner_up"], 0.5, alternative="greater").pvalue >= 0.05


def test_simultaneous_intervals_include_other_cell_and_are_wider():
    table = proportions.simultaneous_intervals({"xiaomi": 1312, "midea": 652, "gree": 472}, 8308)
    assert list(table["brand"]) == ["xiaomi", "midea", "gree", "other"]
    assert table["complaints"].sum() == 8308
    _, low, high = proportions.share_interval(1312, 8308)
    row = table.iloc[0]
    assert row["share_low"] < low and row["share_high"] > high


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: rates.rate_ratio(110, 726, 15.15), ["exposure_share", "100 %"]),
        (lambda: rates.rate_ratio(110, 726, 1.5), ["exposure_share", "100 %"]),
        (lambda: rates.rate_ratio(110, 726, 0), ["exposure_share", "zero"]),
        (lambda: rates.rate_ratio(110, 726, float("nan")), ["exposure_share", "missing"]),
        (lambda: rates.rate_ratio(110, 0, 0.1), ["total", "zero"]),
        (lambda: rates.rate_ratio(800, 726, 0.1), ["count", "exceeds"]),
        (lambda: rates.rate_ratio("110", 726, 0.1), ["count", "whole number"]),
        (lambda: rates.rate_ratio(110.5, 726, 0.1), ["count", "whole number"]),
        (lambda: rates.rate_ratio(110, 726, 0.1, phi=-1), ["phi"]),
        (lambda: proportions.share_interval(110, 726, alpha=5), ["alpha"]),
        (lambda: proportions.simultaneous_intervals({"a": 900, "b": 10}, 726), ["more than total"]),
    ],
)
def test_bad_input_names_the_parameter(call, words):
    with pytest.raises(ParameterError) as info:
        call()
    for word in words:
        assert word in str(info.value)


def test_break_even_does_not_jump_between_phi_one_and_just_above():
    """Issue 14, point 7: the adjusted test dropped the binomial's (1 - m) factor, so the break-even
    jumped from 13.00 % to 12.95 % between phi = 1 and phi = 1.000001."""
    at_one = rates.break_even_share(110, 726, phi=1.0)
    just_above = rates.break_even_share(110, 726, phi=1.000001)
    assert at_one == pytest.approx(0.1300, abs=5e-5)
    assert abs(at_one - just_above) < 1e-5
    # one family: at phi = 1 the over-dispersed p is the exact binomial tail itself
    p_exact, p_over = rates.p_disproportionate(110, 726, 0.12, phi=1.0)
    assert p_over == p_exact


@given(phi=st.floats(min_value=1.0, max_value=50.0), share=st.floats(min_value=0.02, max_value=0.13))
@settings(max_examples=40, deadline=None)
def test_more_overdispersion_never_makes_an_excess_more_significant(phi, share):
    _, p = rates.p_disproportionate(110, 726, share, phi=phi)
    _, p_more = rates.p_disproportionate(110, 726, share, phi=phi * 1.5)
    # below the observed share (15.2 %) wider chance can only make the excess less significant
    assert p_more >= p - 1e-12


def test_complaint_rates_per_revenue_and_per_units_for_every_figure():
    """Issue 14, point 10: the per-revenue rate moves with the revenue figure chosen."""
    import pandas as pd

    from stats_case import case_denominators

    counts = pd.DataFrame({"brand": ["xiaomi", "midea", "gree"], "complaints": [1312, 652, 472]})
    denominators = case_denominators()
    denominators = denominators[denominators["period_start"] == "2024-01-01"]
    table = rates.complaint_rates(counts, denominators, start="2024-01-01", end="2024-12-31")
    xiaomi = table[table["brand"] == "xiaomi"].set_index(["measure", "category"])
    assert xiaomi.loc[("revenue", "iot_lifestyle"), "rate"] == pytest.approx(1312 / 1041)  # 1041 亿元
    assert xiaomi.loc[("revenue", "all_products"), "rate"] == pytest.approx(1312 / 3659)
    assert xiaomi.loc[("shipments", "air_conditioner"), "rate"] == pytest.approx(1312 / 680)  # per 10,000 units
    # peers pooled at their point revenue (Midea's smallest segment, Gree's group): (652 + 472) / (2381.2 + 1900.4)
    peers = (652 + 472) / (2381.2 + 1900.4)
    assert xiaomi.loc[("revenue", "iot_lifestyle"), "ratio_to_peers"] == pytest.approx(1312 / 1041 / peers)
    assert len(table[table["brand"] == "midea"]) == 2  # one row per revenue figure
    assert list(table.columns) == rates.RATE_COLUMNS


@pytest.mark.parametrize("phi", [1.0 + 2.220446049250313e-16, 1.0 + 1e-12, 1.0 + 1e-9])
def test_phi_a_hair_above_one_is_the_binomial(phi):
    # the beta-binomial's log-beta terms cancel to noise as phi -> 1: at phi = 1 + 2e-16 the
    # excess of 110/726 against a 6.25% share came out p = 1.0 (found by hypothesis)
    binomial, over = rates.p_disproportionate(110, 726, 0.0625, phi=phi)
    assert over == pytest.approx(binomial, rel=1e-6)
