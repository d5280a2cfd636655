"""Over-dispersion transferred by the additive random-effects model (issue 14, point 3)."""

from __future__ import annotations

import numpy as np
import pytest

from brandrep.stats import claim_test, funnel, ledger, rates, validation
from stats_case import case_complaints, case_denominators
from test_ledger import CASE


def _hand_tau2(observed, exposure):
    """DerSimonian-Laird tau2 on the O/E scale and Pearson phi on n - 1 df, written out by hand."""
    o, n = np.asarray(observed, float), np.asarray(exposure, float)
    e = n * o.sum() / n.sum()
    q = sum((oi - ei) ** 2 / ei for oi, ei in zip(o, e))
    df = len(o) - 1
    return max(0.0, (q - df) / (e.sum() - (e**2).sum() / e.sum())), q / df, df


@pytest.fixture(scope="module")
def case():
    params = claim_test.check_parameters(**CASE)
    return claim_test.run(case_complaints(), case_denominators(), validation.read_denied_boarding(2016), params)


def test_pearson_dispersion_uses_n_minus_1_df():
    out = funnel.pearson_dispersion([652, 472], [3.0, 2.0])
    tau2, phi, df = _hand_tau2([652, 472], [3.0, 2.0])
    assert out["df"] == df == 1
    assert out["phi"] == pytest.approx(phi) and out["tau2"] == pytest.approx(tau2)


def test_phi_is_one_plus_tau2_times_the_brands_expected_count():
    assert funnel.transfer_phi(0.01, 80.0) == pytest.approx(1.8)
    # 726 complaints, exposure share 11.28 %: E = 81.9; phi grows with E, not with the platform total
    assert rates.phi_for(726, 0.1128, tau2=0.01) == pytest.approx(1 + 0.01 * 726 * 0.1128)


def test_window_transfer_matches_hand_calculation(case):
    """Default phi is from the peers only; the break-even solves p(m; phi = 1 + tau2 * 726 * m) = alpha."""
    assert case.tau2 is not None
    p_at_break_even = rates.p_disproportionate(110, 726, case.break_even_adjusted, tau2=case.tau2)[1]
    assert p_at_break_even == pytest.approx(CASE["alpha"], abs=1e-6)
    assert case.phi == pytest.approx(1 + case.tau2 * 726 * case.break_even_adjusted)
    assert "peers only" in case.phi_source and "df" in case.phi_source


def test_three_units_are_not_winsorised():
    _, fit = funnel.funnel_points(["a", "b", "c"], [1312, 652, 472], [2.0, 3.0, 2.0], dataset="toy")
    z = (np.array([1312, 652, 472]) / (np.array([2.0, 3.0, 2.0]) * 2436 / 7) - 1) * np.sqrt(
        np.array([2.0, 3.0, 2.0]) * 2436 / 7)
    assert not fit["winsorised"] and fit["df"] == 2
    assert fit["phi"] == pytest.approx(np.mean(z**2))


def test_no_cross_section_is_never_phi_one():
    assert ledger.disproportion_verdict(plain_flags=[True], adjusted_flags=[True], share_flagged=1.0,
                                        peers_judgeable=False) == "inconclusive"


def test_vectorised_test_equals_the_scalar_test_per_share():
    """One owner (issue 14, item 10): the curve and the Monte Carlo call the same function as the ledger."""
    shares = np.array([0.05, 0.1128, 0.13])
    for kwargs in ({"tau2": 0.01}, {"phi": 3.0}, {}):
        p_bin, p_vec = rates.p_disproportionate(110, 726, shares, **kwargs)
        for share, pb, p in zip(shares, p_bin, p_vec):
            scalar = rates.p_disproportionate(110, 726, share, **kwargs)
            assert (pb, p) == pytest.approx(scalar, rel=1e-12)


@pytest.mark.parametrize("alpha, threshold", [(0.05, "1.645"), (0.01, "2.326")])
def test_c3_threshold_follows_alpha_one_sided(alpha, threshold):
    params = claim_test.check_parameters(**{**CASE, "alpha": alpha, "n_simulations": 200})
    res = claim_test.run(case_complaints(), case_denominators(), validation.read_denied_boarding(2016), params)
    c3 = res.tables["claims_ledger"].set_index("claim_id").loc["C3"]
    assert f"z > {threshold} (one-sided, alpha = {alpha:g}" in c3["test"]
    assert "df" in c3["test"]


def test_phi_adjusted_z_is_read_against_t_on_phis_degrees_of_freedom():
    # phi from 3 brands has 2 df: the adjusted z must beat t(2) = 2.920, not the normal 1.645
    assert claim_test.one_sided_t(0.05, 2) == pytest.approx(2.919986, abs=1e-6)
    assert claim_test.one_sided_t(0.05, 0) == pytest.approx(1.644854, abs=1e-6)
    params = claim_test.check_parameters(**{**CASE, "n_simulations": 200})
    res = claim_test.run(case_complaints(), case_denominators(), validation.read_denied_boarding(2016), params)
    c3 = res.tables["claims_ledger"].set_index("claim_id").loc["C3"]
    assert "against t 2.920" in c3["test"]
