"""SnowNLP, calibrated SnowNLP and the trained model, measured side by side (issue 13).

:func:`compare_models` gives, for one labelled corpus, accuracy (at 0.5), ROC AUC, Brier score
and expected calibration error (:func:`brandrep.sentiment.reliability.probability_metrics`) of:

* ``snownlp``: SnowNLP's score read as P(positive), threshold 0.5, as shipped;
* ``snownlp_refit``: SnowNLP's own method (its segmenter, stop words and add-one naive Bayes,
  ``snownlp.classification.bayes``) retrained on the training folds. SnowNLP's shipped model was
  trained on its review lines, so on those lines ``snownlp`` is scored on its own training data;
  this row is the fair, held-out figure for its method;
* ``calibrated``: the shipped calibration (:mod:`brandrep.sentiment.calibration`) of SnowNLP's score;
* ``calibrated_refit``: that calibration refitted on the training folds;
* ``trained``: the shipped trained model (:mod:`brandrep.sentiment.trained`);
* ``trained_refit``: the trained model refitted on the training folds.

Cross-validation is stratified, ``folds``-fold, shuffled with a fixed seed, so the table is the
same on every rerun. ``fitted_on_these_texts`` says when a shipped model has seen the corpus.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Sequence

import numpy as np
import pandas as pd

from brandrep.sentiment.reliability import probability_metrics

METRIC_COLUMNS = ("accuracy", "roc_auc", "brier", "ece")
MODELS = {
    "snownlp": "SnowNLP score at 0.5 (as shipped)",
    "snownlp_refit": "SnowNLP's naive Bayes, refitted per fold",
    "calibrated": "calibrated SnowNLP (shipped calibration)",
    "calibrated_refit": "calibrated SnowNLP, calibration refitted per fold",
    "trained": "trained model (shipped)",
    "trained_refit": "trained model, refitted per fold",
}


def _folds(labels: np.ndarray, folds: int, seed: int):
    from sklearn.model_selection import StratifiedKFold

    return StratifiedKFold(folds, shuffle=True, random_state=seed).split(np.zeros(len(labels)), labels)


def _bayes_words(texts: Sequence[str]) -> list[list[str]]:
    """SnowNLP's ``Sentiment.handle``: its segmentation, then its stop words removed."""
    from snownlp import normal

    from brandrep.sentiment.engine import get_engine

    return [[w for w in words if w not in normal.stop] for words in get_engine().words_many(list(texts))]


def _bayes_probability(train_words, train_labels, test_words) -> np.ndarray:
    """P(positive) of SnowNLP's ``Bayes`` trained on ``train_words`` (``AddOneProb`` counts:
    each seen word starts at 1 and adds 1 to its class total; an unseen word counts 1)."""
    counts = {0: Counter(), 1: Counter()}
    for words, label in zip(train_words, train_labels):
        counts[int(label)].update(words)
    totals = {k: sum(c.values()) + len(c) for k, c in counts.items()}
    out = np.empty(len(test_words), dtype=np.float64)
    for i, words in enumerate(test_words):
        log_odds = math.log(totals[1]) - math.log(totals[0])
        for w in words:
            log_odds += math.log((counts[1].get(w, 0) + 1) / totals[1]) - math.log((counts[0].get(w, 0) + 1) / totals[0])
        out[i] = 1 / (1 + math.exp(-log_odds)) if log_odds > -700 else 0.0
    return out


def held_out_probabilities(texts: Sequence[str], labels: Sequence[int], *, folds: int = 5, seed: int = 0) -> dict:
    """Out-of-fold P(positive) of each refitted method (``snownlp_refit``, ``calibrated_refit``,
    ``trained_refit``) and the as-shipped ones, one array per key of :data:`MODELS`."""
    from brandrep.sentiment.calibration import fit_calibration, shipped_calibration
    from brandrep.sentiment.engine import score_texts
    from brandrep.sentiment.trained import cross_validated_probabilities, shipped_model

    texts = list(texts)
    labels = np.asarray(labels, dtype=np.int64)
    scores = score_texts(texts)
    lengths = np.array([len(t) for t in texts], dtype=np.float64)
    words = _bayes_words(texts)
    out = {"snownlp": scores, "calibrated": shipped_calibration().predict(scores, lengths),
           "trained": shipped_model().predict(texts),
           "snownlp_refit": np.empty(len(texts)), "calibrated_refit": np.empty(len(texts))}
    for train, test in _folds(labels, folds, seed):
        out["snownlp_refit"][test] = _bayes_probability([words[i] for i in train], labels[train],
                                                        [words[i] for i in test])
        calibration = fit_calibration(scores[train], lengths[train], labels[train])
        out["calibrated_refit"][test] = calibration.predict(scores[test], lengths[test])
    out["trained_refit"] = cross_validated_probabilities(texts, labels, folds=folds, seed=seed)
    return {key: out[key] for key in MODELS}


def compare_models(texts: Sequence[str], labels: Sequence[int], *, corpus: str, fitted_on: Sequence[str] = (),
                   folds: int = 5, seed: int = 0, probabilities: dict | None = None) -> pd.DataFrame:
    """One row per model of :data:`MODELS`: ``corpus, model, description, evaluation,
    fitted_on_these_texts, n, accuracy, roc_auc, brier, ece``. ``fitted_on``: the shipped models
    (keys of MODELS) that were fitted on these very texts; ``probabilities``: the result of
    :func:`held_out_probabilities` when already computed (say, for reliability diagrams)."""
    labels = np.asarray(labels, dtype=np.int64)
    if probabilities is None:
        probabilities = held_out_probabilities(texts, labels, folds=folds, seed=seed)
    rows = []
    for key, description in MODELS.items():
        refit = key.endswith("_refit")
        metrics = probability_metrics(labels, probabilities[key])
        rows.append({"corpus": corpus, "model": key, "description": description,
                     "evaluation": f"{folds}-fold stratified cross-validation" if refit else "as shipped",
                     "fitted_on_these_texts": (not refit) and key in fitted_on, "n": metrics["n"],
                     **{m: metrics[m] for m in METRIC_COLUMNS}})
    return pd.DataFrame(rows)


def distinct_pairs(texts: Sequence[str], labels: Sequence[int]) -> tuple[list[str], np.ndarray]:
    """Each (text, label) pair once, first occurrence order (SnowNLP's files list most lines twice)."""
    pairs = list(dict.fromkeys(zip(list(texts), np.asarray(labels).tolist())))
    return [t for t, _ in pairs], np.array([label for _, label in pairs], dtype=np.int64)


def stratified_subsample(texts: Sequence[str], labels: Sequence[int], n: int, seed: int = 0):
    """At most ``n`` texts, the same share of each class, seeded; order kept (``n <= 0``: all)."""
    labels = np.asarray(labels, dtype=np.int64)
    if n <= 0 or n >= len(labels):
        return list(texts), labels
    rng = np.random.default_rng(seed)
    keep = np.sort(np.concatenate([
        rng.choice(np.flatnonzero(labels == c), round(n * (labels == c).mean()), replace=False) for c in (0, 1)]))
    return [texts[i] for i in keep], labels[keep]
