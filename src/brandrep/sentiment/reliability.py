"""How far to trust a SnowNLP score, and group summaries with intervals (notebook 02).

* :func:`polarity_report`: accuracy, precision and recall of "score < threshold means a
  complaint" against hand labels, with Wilson 95% intervals (Wilson 1927; Agresti & Coull 1998:
  better coverage than the Wald interval for small n and proportions near 0 or 1).
* :func:`calibration_table`: per score bin, how many texts are really positive. SnowNLP was
  trained on product reviews, so its number is a classifier's posterior under naive Bayes, not a
  calibrated probability; this table shows how far it is from one on complaint text.
* :func:`sentiment_by_group`: mean score per brand with a percentile bootstrap 95% interval
  (seeded, so reruns are byte-identical); scores are bounded and skewed, so no normal interval.
* :func:`topics_by_group`: share of texts tagged with each topic per brand, Wilson intervals.
* :func:`probability_metrics`: accuracy at 0.5, ROC AUC, Brier score and expected calibration
  error of a P(positive) against labels (to compare SnowNLP's raw score with the calibrated one).
* :func:`negative_share`: the share of negative texts in a set, corrected for the classifier's
  error rates by adjusted classify-and-count (Forman 2008), with a bootstrap 95% interval, beside
  the naive "share below the threshold".

Only rows whose ``status`` is ``""`` (scored) enter the group summaries, so the sentiment means
and the topic shares describe the same texts.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from brandrep.sentiment.topics import TOPIC_ORDER


def wilson(k: int, n: int, alpha: float = 0.05) -> tuple[float, float]:
    """Wilson score interval for k successes in n trials (NaN, NaN when n == 0)."""
    if n == 0:
        return float("nan"), float("nan")
    low, high = proportion_confint(k, n, alpha=alpha, method="wilson")
    return float(low), float(high)


def polarity_report(truth: Sequence[str], scores: Sequence[float], threshold: float = 0.5) -> pd.DataFrame:
    """Accuracy and per-class precision/recall of SnowNLP's polarity (``neg`` when score < threshold).

    Columns: metric, k, n, value, low, high (Wilson 95%).
    """
    truth = np.asarray(truth, dtype=object)
    predicted = np.where(np.asarray(scores, dtype=float) < threshold, "neg", "pos")
    rows = []

    def add(metric, k, n):
        low, high = wilson(int(k), int(n))
        rows.append(dict(metric=metric, k=int(k), n=int(n), value=k / n if n else float("nan"), low=low, high=high))

    add("accuracy", (truth == predicted).sum(), len(truth))
    for label in ("neg", "pos"):
        hit = ((truth == label) & (predicted == label)).sum()
        add(f"precision_{label}", hit, (predicted == label).sum())
        add(f"recall_{label}", hit, (truth == label).sum())
    return pd.DataFrame(rows)


def calibration_table(truth: Sequence[str], scores: Sequence[float],
                      edges: Sequence[float] = (0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0)) -> pd.DataFrame:
    """Per score bin: n, mean score, share labelled ``pos`` with Wilson 95% interval.

    A calibrated score would have share_pos close to mean_score in every bin. Bins are closed on
    the left, the last one on both sides.
    """
    scores = np.asarray(scores, dtype=float)
    is_pos = np.asarray(truth, dtype=object) == "pos"
    edges = np.asarray(edges, dtype=float)
    which = np.clip(np.searchsorted(edges, scores, side="right") - 1, 0, len(edges) - 2)
    rows = []
    for b in range(len(edges) - 1):
        mask = which == b
        n, k = int(mask.sum()), int(is_pos[mask].sum())
        low, high = wilson(k, n)
        rows.append(dict(bin=f"[{edges[b]:.1f}, {edges[b + 1]:.1f}{']' if b == len(edges) - 2 else ')'}",
                         n=n, mean_score=float(scores[mask].mean()) if n else float("nan"),
                         share_pos=k / n if n else float("nan"), share_pos_low=low, share_pos_high=high))
    return pd.DataFrame(rows)


def bootstrap_mean(values: Sequence[float], n_boot: int = 2000, seed: int = 0, alpha: float = 0.05):
    """Mean and percentile bootstrap interval (deterministic for a given seed)."""
    values = np.asarray(values, dtype=float)
    if len(values) == 0:
        return float("nan"), float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    means = values[rng.integers(0, len(values), size=(n_boot, len(values)))].mean(axis=1)
    low, high = np.quantile(means, [alpha / 2, 1 - alpha / 2])
    return float(values.mean()), float(low), float(high)


def sentiment_by_group(frame: pd.DataFrame, group: str = "brand", *, n_boot: int = 2000, seed: int = 0) -> pd.DataFrame:
    """``group, n, mean, mean_low, mean_high`` of ``sentiment`` over scored rows, sorted by group."""
    scored = frame[frame["status"] == ""]
    rows = []
    for key, part in sorted(scored.groupby(group), key=lambda kv: str(kv[0])):
        mean, low, high = bootstrap_mean(part["sentiment"].to_numpy(float), n_boot=n_boot, seed=seed)
        rows.append({group: key, "n": len(part), "mean": mean, "mean_low": low, "mean_high": high})
    return pd.DataFrame(rows, columns=[group, "n", "mean", "mean_low", "mean_high"])


def topics_by_group(frame: pd.DataFrame, group: str = "brand", topics: Sequence[str] = TOPIC_ORDER) -> pd.DataFrame:
    """``group, topic, n_texts, n_tagged, share, share_low, share_high`` over scored rows."""
    scored = frame[frame["status"] == ""]
    rows = []
    for key, part in sorted(scored.groupby(group), key=lambda kv: str(kv[0])):
        tags = part["topics"].fillna("").map(lambda s: set(filter(None, s.split(";"))))
        for topic in topics:
            k, n = int(tags.map(lambda t: topic in t).sum()), len(part)
            low, high = wilson(k, n)
            rows.append({group: key, "topic": topic, "n_texts": n, "n_tagged": k,
                         "share": k / n if n else float("nan"), "share_low": low, "share_high": high})
    return pd.DataFrame(rows, columns=[group, "topic", "n_texts", "n_tagged", "share", "share_low", "share_high"])


def _is_positive(truth: Sequence) -> np.ndarray:
    values = pd.Series(list(truth)).map(lambda v: {"pos": 1, "neg": 0, 1: 1, 0: 0, True: 1, False: 0}.get(v, -1))
    if (values < 0).any():
        raise ValueError(f"labels must be pos/neg or 1/0; found {sorted(set(map(str, truth)) - {'pos', 'neg', '0', '1'})}")
    return values.to_numpy(dtype=np.float64)


def probability_metrics(truth: Sequence, probability: Sequence[float], n_bins: int = 10) -> dict:
    """Accuracy (positive when >= 0.5), ROC AUC (rank form, ties counted half), Brier score and
    expected calibration error (``n_bins`` equal-width bins, weighted by count)."""
    y = _is_positive(truth)
    p = np.asarray(probability, dtype=np.float64)
    ranks = pd.Series(p).rank(method="average").to_numpy()
    n_pos, n_neg = y.sum(), (1 - y).sum()
    auc = (ranks[y == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg) if n_pos and n_neg else np.nan
    bins = np.minimum((p * n_bins).astype(int), n_bins - 1)
    ece = sum(abs(p[bins == b].mean() - y[bins == b].mean()) * (bins == b).mean()
              for b in range(n_bins) if (bins == b).any())
    return {"n": len(y), "accuracy": float(((p >= 0.5) == (y == 1)).mean()), "roc_auc": float(auc),
            "brier": float(np.mean((p - y) ** 2)), "ece": float(ece)}


def _adjusted_share(observed: float, tpr: float, fpr: float) -> float:
    if tpr - fpr <= 0:  # the classifier does not separate the classes: no correction possible
        return float("nan")
    return float(np.clip((observed - fpr) / (tpr - fpr), 0.0, 1.0))


def negative_share(scores: Sequence[float], labelled_truth: Sequence, labelled_scores: Sequence[float], *,
                   threshold: float = 0.5, n_boot: int = 2000, seed: int = 0, alpha: float = 0.05) -> dict:
    """Share of negative texts among ``scores``, by adjusted classify-and-count (Forman 2008).

    A text is *called* negative when its score is below ``threshold``. On the labelled texts,
    ``tpr`` = P(called negative | negative) and ``fpr`` = P(called negative | positive); the
    corrected share is ``(called share - fpr) / (tpr - fpr)``, clipped to [0, 1]. The interval is
    a percentile bootstrap resampling both the set and the labelled texts (seeded), so it carries
    the uncertainty of the error rates too. Returns ``naive`` (the called share), ``adjusted``,
    ``low``, ``high``, ``tpr``, ``fpr`` and ``n``.
    """
    called = np.asarray(scores, dtype=np.float64) < threshold
    negative = _is_positive(labelled_truth) == 0
    labelled_called = np.asarray(labelled_scores, dtype=np.float64) < threshold
    if not negative.any() or negative.all():
        raise ValueError("the labelled texts must include both negative and positive texts")

    def estimate(set_called, lab_called, lab_negative):
        tpr, fpr = lab_called[lab_negative].mean(), lab_called[~lab_negative].mean()
        return _adjusted_share(set_called.mean(), tpr, fpr), tpr, fpr

    adjusted, tpr, fpr = estimate(called, labelled_called, negative)
    rng = np.random.default_rng(seed)
    draws = []
    neg_idx, pos_idx = np.flatnonzero(negative), np.flatnonzero(~negative)
    for _ in range(n_boot):
        # resample within each class so both error rates stay defined
        lab = np.concatenate([rng.choice(neg_idx, len(neg_idx)), rng.choice(pos_idx, len(pos_idx))])
        draws.append(estimate(called[rng.integers(0, len(called), len(called))], labelled_called[lab], negative[lab])[0])
    low, high = np.nanquantile(draws, [alpha / 2, 1 - alpha / 2])
    return {"n": int(len(called)), "naive": float(called.mean()), "adjusted": adjusted,
            "low": float(low), "high": float(high), "tpr": float(tpr), "fpr": float(fpr)}
