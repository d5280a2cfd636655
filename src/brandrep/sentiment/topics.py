"""What a complaint is about: multi-label topic tags from an editable lexicon.

The lexicon is a CSV in the package, ``brandrep/data/topics_lexicon.csv`` (columns ``topic``,
``label``, ``term``); a researcher can edit it or pass their own file (same columns) to
:class:`TopicTagger`. A text gets every topic one of whose terms it contains, so tags are
multi-label; the result is the sorted topic keys joined with ``;`` (``""`` for none).

Matching. Terms of two or more characters match anywhere in the text (substring). A
one-character term (``贵``, ``漆``) must be a whole word of SnowNLP's segmentation (the exact,
fast one in :mod:`brandrep.sentiment`), so ``贵`` does not fire inside ``贵州``. Why not require
word boundaries for every term: SnowNLP's segmenter often splits or glues common words (``售 后``,
``就坏 了``), and on the labelled sample boundary matching lost recall without gaining
precision; jieba segments better but would add a second segmenter and its
start-up time for no measured gain. Latin terms (``App``, ``WiFi``) match case-insensitively.
Negation is not handled: "没出过故障" is tagged quality_breakage, which is right for "what is
this about" but not for "what went wrong".

Precision and recall per topic are measured against the hand-labelled sample
(``data/raw/labelled_complaints.csv``) by :func:`evaluate_topics`; since that sample and the
lexicon were written by the same project, those figures are in-sample and optimistic.
"""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path
from typing import Iterable, Sequence

import pandas as pd

from brandrep.errors import InputError

TOPIC_ORDER = (
    "after_sales", "fingerprint_face", "false_alarm", "battery_power", "lockout",
    "installation", "app_connectivity", "quality_breakage", "refund_price",
)


def default_lexicon_path() -> Path:
    return Path(str(resources.files("brandrep") / "data" / "topics_lexicon.csv"))


def read_lexicon(path: str | Path | None = None) -> pd.DataFrame:
    """The lexicon as a frame (topic, label, term); clear errors for a broken file."""
    path = Path(path) if path is not None else default_lexicon_path()
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    missing = {"topic", "term"} - set(rows[0].keys() if rows else ())
    if missing:
        raise InputError(f"topic lexicon needs columns topic, term; missing {sorted(missing)}", path=path)
    for i, row in enumerate(rows, start=2):
        if not (row["topic"] or "").strip() or not (row["term"] or "").strip():
            raise InputError("empty topic or term", path=path, row=i)
    frame = pd.DataFrame(rows)
    if "label" not in frame:
        frame["label"] = frame["topic"]
    return frame[["topic", "label", "term"]].apply(lambda s: s.str.strip())


class TopicTagger:
    """Tag texts (or pre-segmented word lists) with lexicon topics."""

    def __init__(self, terms: dict):
        self.terms = terms  # term (lower-cased) -> set of topics
        # index multi-character terms by their first two characters, so a text is scanned once
        # (one dict look-up per position) instead of once per term
        self._by_start: dict = {}
        for term, topics in terms.items():
            if len(term) >= 2:
                self._by_start.setdefault(term[:2], []).append((term, frozenset(topics)))
        self._single = {term: frozenset(topics) for term, topics in terms.items() if len(term) == 1}

    @classmethod
    def from_lexicon(cls, path: str | Path | None = None) -> "TopicTagger":
        terms: dict = {}
        for row in read_lexicon(path).itertuples(index=False):
            terms.setdefault(row.term.lower(), set()).add(row.topic)
        return cls(terms)

    @property
    def topics(self) -> list[str]:
        found = {t for topics in self.terms.values() for t in topics}
        return [t for t in TOPIC_ORDER if t in found] + sorted(found - set(TOPIC_ORDER))

    def tag_words(self, text: str, words: Sequence[str]) -> str:
        """Topics of ``text`` given its SnowNLP words, as ``"a;b"`` sorted (``""`` if none)."""
        lowered = text.lower()
        found: set = set()
        by_start = self._by_start
        for i in range(len(lowered) - 1):
            candidates = by_start.get(lowered[i:i + 2])
            if candidates:
                for term, topics in candidates:
                    if lowered.startswith(term, i):
                        found |= topics
        if self._single:
            for word in words:
                if len(word) == 1:
                    topics = self._single.get(word.lower())
                    if topics:
                        found |= topics
        return ";".join(sorted(found))

    def tag_texts(self, texts: Iterable[str]) -> list[str]:
        from brandrep.sentiment.engine import get_engine

        texts = list(texts)
        return [self.tag_words(t, w) for t, w in zip(texts, get_engine().words_many(texts))]


_DEFAULT: TopicTagger | None = None


def default_tagger() -> TopicTagger:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = TopicTagger.from_lexicon()
    return _DEFAULT


def tag_topics(texts: Iterable[str], lexicon: str | Path | None = None) -> list[str]:
    """``"a;b"`` topic tags for each text (the package lexicon unless ``lexicon`` is given)."""
    tagger = default_tagger() if lexicon is None else TopicTagger.from_lexicon(lexicon)
    return tagger.tag_texts(texts)


def _split(tags: str) -> set[str]:
    return {t for t in str(tags).split(";") if t} if isinstance(tags, str) else set()


def evaluate_topics(truth: Sequence[str], predicted: Sequence[str], topics: Sequence[str] = TOPIC_ORDER) -> pd.DataFrame:
    """Per-topic and micro-averaged precision, recall and F1 of multi-label tags.

    Columns: topic, support (texts labelled with it), predicted, true_positive, precision,
    recall, f1; the last row, ``all (micro)``, pools every (text, topic) decision.
    """
    rows = []
    tp_all = pred_all = sup_all = 0
    for topic in topics:
        tp = sum(1 for t, p in zip(truth, predicted) if topic in _split(t) and topic in _split(p))
        n_pred = sum(1 for p in predicted if topic in _split(p))
        support = sum(1 for t in truth if topic in _split(t))
        rows.append(_scores(topic, support, n_pred, tp))
        tp_all, pred_all, sup_all = tp_all + tp, pred_all + n_pred, sup_all + support
    rows.append(_scores("all (micro)", sup_all, pred_all, tp_all))
    return pd.DataFrame(rows)


def _scores(topic, support, n_pred, tp) -> dict:
    precision = tp / n_pred if n_pred else float("nan")
    recall = tp / support if support else float("nan")
    f1 = 2 * precision * recall / (precision + recall) if n_pred and support and (precision + recall) else float("nan")
    return dict(topic=topic, support=support, predicted=n_pred, true_positive=tp,
                precision=precision, recall=recall, f1=f1)
