"""Tipping-point curve and seeded Monte Carlo over denominator ranges."""

import numpy as np
import pandas as pd
import pytest

from brandrep.errors import ParameterError
from brandrep.stats import rates, sensitivity


def test_tipping_point_curve_crosses_alpha_at_break_even():
    curve = sensitivity.tipping_point_curve(110, 726, brand="xiaomi")
    assert curve["exposure_share"].min() == 0.05 and curve["exposure_share"].max() == 0.25
    assert curve["p_binomial"].is_monotonic_increasing
    below = curve[curve["p_binomial"] < 0.05]["exposure_share"].max()
    above = curve[curve["p_binomial"] >= 0.05]["exposure_share"].min()
    assert below < rates.break_even_share(110, 726) <= above
    at10 = curve[np.isclose(curve["exposure_share"], 0.10)].iloc[0]
    assert at10["p_binomial"] == pytest.approx(8.7e-6, rel=0.01)
    assert set(curve.columns) == {"brand", "exposure_share", "rate_ratio", "rate_ratio_low", "rate_ratio_high",
                                  "p_binomial", "p_overdispersed", "phi"}


def test_overdispersion_raises_p_on_the_curve():
    plain = sensitivity.tipping_point_curve(110, 726, brand="x", phi=1.0)
    inflated = sensitivity.tipping_point_curve(110, 726, brand="x", phi=4.0)
    below_observed = plain["exposure_share"] < 110 / 726  # where the brand is above its volume
    assert (inflated["p_overdispersed"] > plain["p_overdispersed"])[below_observed].all()
    assert (inflated["p_binomial"] == plain["p_binomial"]).all()


RANGES = pd.DataFrame({"brand": ["xiaomi", "midea", "gree"], "exposure_share_low": [0.07, 0.30, 0.20],
                       "exposure_share_high": [0.12, 0.36, 0.26]})


def test_simulation_is_seeded_and_inside_the_range():
    first = sensitivity.simulate_rate_ratio(110, 726, RANGES, brand="xiaomi", n_simulations=2000, seed=7)
    again = sensitivity.simulate_rate_ratio(110, 726, RANGES, brand="xiaomi", n_simulations=2000, seed=7)
    pd.testing.assert_frame_equal(first, again)
    assert first["rate_ratio"].between(0.1515 / 0.12 - 1e-3, 0.1515 / 0.07 + 1e-3).all()
    # below 13 % exposure every draw is disproportionate without over-dispersion
    assert first["flagged"].all()
    other = sensitivity.simulate_rate_ratio(110, 726, RANGES, brand="xiaomi", n_simulations=2000, seed=8)
    assert not first["rate_ratio"].equals(other["rate_ratio"])


def test_verdict_flips_when_the_range_straddles_break_even():
    ranges = pd.DataFrame({"brand": ["xiaomi"], "exposure_share_low": [0.10], "exposure_share_high": [0.16]})
    sim = sensitivity.simulate_rate_ratio(110, 726, ranges, brand="xiaomi", n_simulations=4000, seed=1)
    summary = sensitivity.flip_summary(sim, point_flagged=True)
    # exposure share uniform on 10-16 %, flagged below ~12.9 % (score test): about half the draws
    assert 0.35 < summary["share_flagged"] < 0.65
    assert summary["share_flipped"] == pytest.approx(1 - summary["share_flagged"])


def test_draws_exceeding_the_market_are_renormalised():
    ranges = pd.DataFrame({"brand": ["a", "b"], "exposure_share_low": [0.6, 0.6], "exposure_share_high": [0.6, 0.6]})
    sim = sensitivity.simulate_rate_ratio(50, 100, ranges, brand="a", n_simulations=10, seed=0)
    assert np.allclose(sim["rate_ratio"], 0.5 / 0.5)


def test_bad_simulation_input():
    with pytest.raises(ParameterError, match="no exposure range for brand 'haier'"):
        sensitivity.simulate_rate_ratio(110, 726, RANGES, brand="haier")
    bad = RANGES.assign(exposure_share_high=[0.12, 1.2, 0.26])
    with pytest.raises(ParameterError, match="row 2, brand midea"):
        sensitivity.simulate_rate_ratio(110, 726, bad, brand="xiaomi")
    with pytest.raises(ParameterError, match="seed"):
        sensitivity.simulate_rate_ratio(110, 726, RANGES, brand="xiaomi", seed="abc")
    with pytest.raises(ParameterError, match="n_simulations"):
        sensitivity.simulate_rate_ratio(110, 726, RANGES, brand="xiaomi", n_simulations=2.5)


def test_draws_follow_the_stated_prior_over_candidates():
    """Issue 14, point 8: draws were split evenly over candidates of different scope."""
    from brandrep.stats.sensitivity import draw_allocation

    measures = ["odm_volume/market_volume:smart_locks", "retail_share:air_conditioners",
                "shipments/market_volume:air_conditioners", "revenue/market_volume:iot_lifestyle"]
    weights, draws = draw_allocation(measures, 1000)
    # three scopes, equal weight each; the two air-conditioner figures share theirs
    assert weights == pytest.approx([1 / 3, 1 / 6, 1 / 6, 1 / 3]) and draws.sum() == 1000
    assert list(draws) == [333, 167, 167, 333]  # largest remainders
    weights, draws = draw_allocation(measures, 10, {"retail_share:air_conditioners": 3, "odm_volume/market_volume:smart_locks": 1})
    assert list(draws) == [3, 7, 0, 0]  # a candidate the user does not name gets no weight
    with pytest.raises(ParameterError, match="candidate_weights"):
        draw_allocation(measures, 10, {"retail_share:air_conditioners": 0})


def test_jeffreys_posterior_probability_that_r_exceeds_one():
    from scipy import stats

    from brandrep.stats.sensitivity import jeffreys_p_above

    # a point prior on the exposure share: P(p > m) under Beta(110.5, 616.5)
    assert jeffreys_p_above(110, 726, [0.13]) == pytest.approx(stats.beta.sf(0.13, 110.5, 616.5))
    assert jeffreys_p_above(110, 726, [0.13, 1.0]) == pytest.approx(stats.beta.sf(0.13, 110.5, 616.5) / 2)
    assert 0.0 < jeffreys_p_above(110, 726, [0.16]) < 0.5 < jeffreys_p_above(110, 726, [0.14])
