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
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
from numba import njit

from brandrep.errors import InputError
from brandrep.sentiment import textpath

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


_SHIFT = 1 << 21  # above the largest code point: (node, code point) packs into one int64


@njit(cache=True)
def _trie_masks(codes, starts, keys, first_key, children, node_mask, root_child, lower):
    """Per text, the OR of the topic masks of every lexicon term occurring in its lower case,
    and whether that lower case is not the one ``lower`` gives.

    A trie walk from every position finds every occurrence of every term (overlaps included),
    exactly like testing ``term in text.lower()`` for each term, in one pass over the characters.
    Most walks end at the first character, so the root's children are read from a table
    indexed by code point (``root_child``, -1: no term starts so) instead of a search; a
    deeper node's are searched among its own edges only, ``keys[first_key[node]:first_key[node
    + 1]]`` (issue 17: a search of every key was most of the walk's time).
    ``lower[cp]``: the lower case of code point ``cp`` (code points past the end are their own;
    an empty table lowers nothing), -1 where ``str.lower`` does not map it to one character on
    its own (capital sigma, ``İ``): such a text is flagged for the caller to lower as a string.
    """
    n_texts = starts.shape[0] - 1
    out = np.zeros(n_texts, dtype=np.int64)
    flagged = np.zeros(n_texts, dtype=np.bool_)
    n_root = root_child.shape[0]
    n_lower = lower.shape[0]
    for t in range(n_texts):
        end = starts[t + 1]
        mask = 0
        for i in range(starts[t], end):
            c = codes[i]
            if c < n_lower:
                c = lower[c]
                if c < 0:
                    flagged[t] = True
                    break
            if c >= n_root or root_child[c] < 0:
                continue
            node = root_child[c]
            mask |= node_mask[node]
            j = i + 1
            while j < end:
                d = codes[j]
                if d < n_lower:
                    d = lower[d]  # -1 (flagged) finds no key: the walk ends, the text is redone
                key = node * _SHIFT + d
                lo, hi = first_key[node], first_key[node + 1]
                last = hi
                while lo < hi:
                    mid = (lo + hi) >> 1
                    if keys[mid] < key:
                        lo = mid + 1
                    else:
                        hi = mid
                if lo == last or keys[lo] != key:
                    break
                node = children[lo]
                mask |= node_mask[node]
                j += 1
        out[t] = mask
    return out, flagged


_NO_LOWERING = np.zeros(0, dtype=np.int64)


class TopicTagger:
    """Tag texts (given their SnowNLP words) with lexicon topics, many at a time."""

    def __init__(self, terms: dict):
        self.terms = terms  # term (lower-cased) -> set of topics
        found = {t for topics in terms.values() for t in topics}
        self.topics = [t for t in TOPIC_ORDER if t in found] + sorted(found - set(TOPIC_ORDER))
        if len(self.topics) > 62:
            raise ValueError("a topic lexicon may hold at most 62 topics")
        bit = {topic: 1 << i for i, topic in enumerate(self.topics)}

        def mask(topics):
            return sum(bit[t] for t in set(topics))

        # multi-character terms: a trie over code points, searched by the compiled walk above
        edges: dict = {}
        node_mask = [0]
        for term, topics in terms.items():
            if len(term) < 2:
                continue
            node = 0
            for ch in term:
                key = node * _SHIFT + ord(ch)
                if key not in edges:
                    edges[key] = len(node_mask)
                    node_mask.append(0)
                node = edges[key]
            node_mask[node] |= mask(topics)
        order = sorted(edges)
        self._keys = np.array(order, dtype=np.int64)
        self._children = np.array([edges[k] for k in order], dtype=np.int64)
        self._node_mask = np.array(node_mask, dtype=np.int64)
        # node k's edges are the keys k * _SHIFT + cp: sorted, so they lie side by side
        self._first_key = np.searchsorted(self._keys, np.arange(len(node_mask) + 1, dtype=np.int64) * _SHIFT)
        # keys of root edges are the code points themselves (node 0 * _SHIFT + cp)
        roots = [k for k in order if k < _SHIFT]
        self._root_child = np.full(max(roots) + 1 if roots else 0, -1, dtype=np.int64)
        for key in roots:
            self._root_child[key] = edges[key]
        # one-character terms must be a whole SnowNLP word
        self._single = {term: mask(topics) for term, topics in terms.items() if len(term) == 1}
        self.single_table = _single_table(self._single)
        self._names: dict = {}

    @classmethod
    def from_lexicon(cls, path: str | Path | None = None) -> "TopicTagger":
        terms: dict = {}
        for row in read_lexicon(path).itertuples(index=False):
            terms.setdefault(row.term.lower(), set()).add(row.topic)
        return cls(terms)

    def _name(self, mask: int) -> str:
        name = self._names.get(mask)
        if name is None:
            name = ";".join(sorted(t for i, t in enumerate(self.topics) if mask >> i & 1))
            self._names[mask] = name
        return name

    def tag_many(self, texts: Sequence[str], words: Sequence[Sequence[str]]) -> list[str]:
        """Topics of each text given its SnowNLP words, as ``"a;b"`` sorted (``""`` if none)."""
        lowered = [t.lower() for t in texts]
        if not lowered:
            return []
        # surrogatepass: a lone surrogate (possible from a JSON "\\ud800" escape) is one code point
        codes = np.frombuffer("".join(lowered).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
        starts = np.zeros(len(lowered) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, lowered), dtype=np.int64, count=len(lowered)), out=starts[1:])
        masks = self._term_masks(codes, starts, _NO_LOWERING)[0].tolist()
        single = self._single
        if single:
            for k, text_words in enumerate(words):
                for word in text_words:
                    if len(word) == 1:
                        masks[k] |= single.get(word.lower(), 0)
        return [self._name(m) for m in masks]

    def _term_masks(self, codes, starts, lower):
        return _trie_masks(codes, starts, self._keys, self._first_key, self._children, self._node_mask,
                           self._root_child, lower)

    def tag_with_single_masks(self, texts: Sequence[str], single_masks, code_points=None) -> list[str]:
        """Topics of each text, given the masks of its one-character terms found as whole words
        (computed with the segmentation, by ``SentimentEngine.analyse(texts, single_table)``);
        ``code_points``: the texts' ``textpath.code_points``, when the caller has them."""
        if not texts:
            return []
        codes, starts = code_points if code_points is not None else textpath.code_points(texts)
        # lower-cased code point by code point inside the walk (issue 17: lowering and converting
        # the chunk again was half of tagging); the rare text where that is not str.lower's
        # result (capital sigma, a character whose lower case is longer) is lowered as a string
        masks, flagged = self._term_masks(codes, starts, _lower_table())
        if flagged.any():
            redo = np.flatnonzero(flagged)
            masks[redo] = self._term_masks(*textpath.code_points([texts[i].lower() for i in redo.tolist()]),
                                           _NO_LOWERING)[0]
        masks = (masks | single_masks).tolist()
        # name each distinct mask once, then one dict look-up per text (a call per text cost more)
        for mask in set(masks).difference(self._names):
            self._name(mask)
        return list(map(self._names.__getitem__, masks))

    def tag_words(self, text: str, words: Sequence[str]) -> str:
        """Topics of one text given its SnowNLP words (prefer :meth:`tag_many` for many)."""
        return self.tag_many([text], [words])[0]

    def tag_texts(self, texts: Iterable[str]) -> list[str]:
        from brandrep.sentiment.engine import get_engine

        texts = list(texts)
        if not texts:
            return []
        # the one-character terms come out of the engine's compiled pass; no word lists in Python
        return self.tag_with_single_masks(texts, get_engine().analyse(texts, self.single_table)[1])


@lru_cache(maxsize=1)
def _lower_table() -> np.ndarray:
    """``table[cp]``: ``ord(chr(cp).lower())`` where that is one character and ``str.lower``
    gives it wherever ``cp`` stands; -1 for capital sigma (lower-cased by its neighbours) and
    for characters whose lower case is longer (``İ``); code points past the end lower to
    themselves (see :func:`_trie_masks`)."""
    changed = _changed_by_lower()
    table = np.arange(max(ord(ch) for ch, _ in changed) + 1, dtype=np.int64)
    for ch, low in changed:
        table[ord(ch)] = ord(low) if len(low) == 1 and ch != "\u03a3" else -1
    return table


def _single_table(single: dict) -> tuple[np.ndarray, np.ndarray]:
    """Sorted code points ``cp`` with ``chr(cp).lower()`` a one-character term, and their masks.

    The compiled path sees a word's code point, not its lower-cased string, so every character
    that lower-cases to a term (``K`` and the Kelvin sign for ``k``) is listed."""
    found = {ord(term): m for term, m in single.items() if term.lower() == term}
    if single:
        for ch, low in _changed_by_lower():
            if low in single:
                found[ord(ch)] = single[low]
    cps = sorted(found)
    return np.array(cps, dtype=np.int64), np.array([found[cp] for cp in cps], dtype=np.int64)


@lru_cache(maxsize=1)
def _changed_by_lower() -> tuple[tuple[str, str], ...]:
    """Every character whose ``lower()`` differs from it, with that lower-case form.

    Lower-cased a block of code points at a time (a call per character was a quarter of a
    second of every ``brandrep score``'s start-up, issue 17): a block's ``lower()`` is its
    characters' own, position by position, when it has no capital sigma (the one character
    whose lower case depends on its neighbours) and keeps its length (``lower()`` never
    shortens a character, so no character grew); other blocks go character by character."""
    found = []
    block = 1 << 12
    for first in range(0, 0x110000, block):
        cps = np.arange(first, min(first + block, 0x110000), dtype=np.uint32)
        text = cps.tobytes().decode("utf-32-le", "surrogatepass")
        lowered = text.lower()
        if "\u03a3" in text or len(lowered) != len(text):
            found.extend((ch, low) for ch, low in ((ch, ch.lower()) for ch in text) if low != ch)
            continue
        lowered_cps = np.frombuffer(lowered.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        found.extend((text[i], lowered[i]) for i in np.flatnonzero(lowered_cps != cps).tolist())
    return tuple(found)


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
