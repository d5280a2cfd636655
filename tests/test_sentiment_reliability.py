"""Reliability summaries for notebook 02: correct counts, honest intervals, deterministic."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from brandrep.sentiment.reliability import (
    bootstrap_mean, calibration_table, polarity_report, sentiment_by_group, topics_by_group, wilson,
)


def test_polarity_report_counts_against_hand_labels():
    truth = ["neg", "neg", "neg", "pos", "pos"]
    scores = [0.1, 0.2, 0.9, 0.8, 0.3]  # one complaint scored positive, one praise scored negative
    report = polarity_report(truth, scores).set_index("metric")
    assert report.loc["accuracy", ["k", "n"]].tolist() == [3, 5]
    assert report.loc["precision_neg", ["k", "n"]].tolist() == [2, 3]
    assert report.loc["recall_pos", ["k", "n"]].tolist() == [1, 2]
    low, high = report.loc["accuracy", ["low", "high"]]
    assert low < 0.6 < high


def test_wilson_interval_matches_known_value_and_handles_zero():
    low, high = wilson(0, 10)
    assert low == pytest.approx(0.0, abs=1e-12) and high == pytest.approx(0.2775, abs=1e-4)
    assert all(np.isnan(wilson(0, 0)))


def test_calibration_bins_cover_every_score_once():
    scores = [0.0, 0.05, 0.1, 0.5, 0.95, 1.0]
    table = calibration_table(["neg", "neg", "pos", "pos", "pos", "pos"], scores)
    assert table["n"].sum() == len(scores)
    assert table.loc[table["bin"] == "[0.9, 1.0]", "n"].item() == 2  # 1.0 falls in the last bin


def test_bootstrap_is_deterministic_and_brackets_the_mean():
    values = np.linspace(0, 1, 50) ** 3
    first, second = bootstrap_mean(values, seed=7), bootstrap_mean(values, seed=7)
    assert first == second
    mean, low, high = first
    assert low < mean < high


def test_group_summaries_use_only_scored_rows():
    frame = pd.DataFrame({
        "brand": ["a", "a", "b", "b"],
        "sentiment": [0.2, 0.4, 0.9, np.nan],
        "status": ["", "", "", "empty"],
        "topics": ["lockout", "lockout;after_sales", "", ""],
    })
    means = sentiment_by_group(frame, "brand", n_boot=200)
    assert means["n"].tolist() == [2, 1]
    assert means["mean"].tolist() == pytest.approx([0.3, 0.9])
    shares = topics_by_group(frame, "brand").set_index(["brand", "topic"])
    assert shares.loc[("a", "lockout"), ["n_texts", "n_tagged", "share"]].tolist() == [2, 2, 1.0]
    assert shares.loc[("b", "lockout"), ["n_texts", "n_tagged"]].tolist() == [1, 0]


def test_adjusted_share_recovers_the_true_share_that_the_naive_share_misses():
    from brandrep.sentiment.reliability import negative_share

    rng = np.random.default_rng(1)
    # a classifier calling 70% of negatives and 20% of positives negative
    def scores_for(negative):
        called = np.where(negative, rng.random(len(negative)) < 0.7, rng.random(len(negative)) < 0.2)
        return np.where(called, 0.2, 0.8)
    lab_neg = np.r_[np.ones(2000, bool), np.zeros(2000, bool)]
    set_neg = rng.random(5000) < 0.9
    result = negative_share(scores_for(set_neg), np.where(lab_neg, "neg", "pos"), scores_for(lab_neg), n_boot=300)
    assert abs(result["naive"] - (0.9 * 0.7 + 0.1 * 0.2)) < 0.02  # biased: about 0.65
    assert abs(result["adjusted"] - set_neg.mean()) < 0.03
    assert result["low"] <= set_neg.mean() <= result["high"]


def test_probability_metrics_of_a_perfect_and_a_constant_forecast():
    from brandrep.sentiment.reliability import probability_metrics

    perfect = probability_metrics(["pos", "neg", "pos"], [1.0, 0.0, 1.0])
    assert perfect["accuracy"] == 1 and perfect["roc_auc"] == 1 and perfect["brier"] == 0 and perfect["ece"] == 0
    constant = probability_metrics([1, 0, 1, 0], [0.5] * 4)
    assert constant["roc_auc"] == 0.5 and constant["brier"] == 0.25
    with pytest.raises(ValueError, match="pos/neg"):
        probability_metrics(["good"], [0.5])
