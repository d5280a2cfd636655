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
