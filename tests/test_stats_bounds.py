"""Bounds stay one-sided through the exposure share (issue 14, point 2)."""

from __future__ import annotations

import math

import pandas as pd

from brandrep.stats import inputs, ledger, rates
from stats_case import DENOMINATOR_COLUMNS


def _share_row(value, qualifier):
    return dict(zip(DENOMINATOR_COLUMNS, ["xiaomi", "retail_share", "smart_lock", value, math.nan, math.nan, qualifier,
                                          "percent", "units", "online", "2024-01-01", "2024-12-31", "X11", "low"]))


def test_lower_bound_share_reaches_one_and_upper_bound_reaches_zero():
    lower = inputs.exposure_candidates(pd.DataFrame([_share_row(20.0, "lower_bound")]), "xiaomi").iloc[0]
    assert lower["exposure_share_low"] == 0.20 and lower["exposure_share_high"] == 1.0
    upper = inputs.exposure_candidates(pd.DataFrame([_share_row(5.0, "upper_bound")]), "xiaomi").iloc[0]
    assert upper["exposure_share_low"] == 0.0 and upper["exposure_share_high"] == 0.05


def test_lower_bound_denominator_never_supports_r_above_one():
    """R > 1 at '>= 5 %' is no evidence: the true share may be far higher, so the test at the
    conservative (high) end does not flag and the verdict is not 'supported'."""
    c = inputs.exposure_candidates(pd.DataFrame([_share_row(5.0, "lower_bound")]), "xiaomi").iloc[0]
    assert 110 / 726 / c["exposure_share"] > 1
    pb, po = rates.p_disproportionate(110, 726, c["exposure_share_high"], phi=1.0)
    verdict = ledger.disproportion_verdict(plain_flags=[pb < 0.05], adjusted_flags=[po < 0.05], share_flagged=None)
    assert verdict != "supported"
