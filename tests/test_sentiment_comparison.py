"""The side-by-side comparison of SnowNLP, calibrated SnowNLP and the trained model (issue 13)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from brandrep.paths import RAW_DIR
from brandrep.sentiment.comparison import (
    MODELS, _bayes_probability, _bayes_words, compare_models, distinct_pairs, stratified_subsample,
)

SAMPLE = pd.read_csv(RAW_DIR / "labelled_complaints.csv", keep_default_na=False)


def test_refitted_naive_bayes_is_snownlps_own_bayes():
    from snownlp.classification.bayes import Bayes

    words = _bayes_words(SAMPLE["text"].tolist())
    labels = (SAMPLE["polarity"] == "pos").astype(int).to_numpy()
    train, test = list(range(0, 178, 2)), list(range(1, 178, 2))
    theirs = Bayes()
    theirs.train([(words[i], "pos" if labels[i] else "neg") for i in train])
    expected = []
    for i in test:
        label, prob = theirs.classify(words[i])
        expected.append(prob if label == "pos" else 1 - prob)
    ours = _bayes_probability([words[i] for i in train], labels[train], [words[i] for i in test])
    np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-12)


def test_comparison_has_every_model_and_is_the_same_on_a_rerun():
    texts = SAMPLE["text"].tolist()
    labels = (SAMPLE["polarity"] == "pos").astype(int).to_numpy()
    first = compare_models(texts, labels, corpus="sample", seed=3)
    assert first["model"].tolist() == list(MODELS)
    assert first["n"].eq(178).all() and first["roc_auc"].between(0.5, 1).all()
    pd.testing.assert_frame_equal(first, compare_models(texts, labels, corpus="sample", seed=3))


def test_distinct_pairs_and_stratified_subsample():
    texts, labels = distinct_pairs(["a", "b", "a", "a"], [0, 1, 0, 1])
    assert texts == ["a", "b", "a"] and labels.tolist() == [0, 1, 1]
    many = [str(i) for i in range(1000)]
    y = np.array([0] * 700 + [1] * 300)
    kept, kept_y = stratified_subsample(many, y, 100, seed=1)
    assert len(kept) == 100 and kept_y.sum() == 30 and kept == sorted(kept, key=int)
    assert stratified_subsample(many, y, 0)[0] == many


def test_reliability_diagram_shows_as_an_image_under_agg():
    """brandrep run executes notebooks with Agg: a bare Figure displayed as text, not a diagram."""
    from brandrep.charts.texts import reliability_diagram
    from brandrep.sentiment.reliability import calibration_table

    table = calibration_table(SAMPLE["polarity"], np.linspace(0, 1, len(SAMPLE)))
    assert reliability_diagram({"a": table}, title="t")._repr_png_().startswith(b"\x89PNG")
