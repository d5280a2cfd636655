"""Fast, exact SnowNLP sentiment: ``score_texts(texts)[i] == SnowNLP(texts[i]).sentiments``.

SnowNLP's pipeline (snownlp 0.12.3), reproduced step by step:
  ``SnowNLP(doc).sentiments`` -> ``sentiment.classify(doc)`` -> ``Sentiment.handle(doc)``:
  ``seg.seg(doc)`` splits the text with ``re_zh = ([\\u4E00-\\u9FA5]+)``; each Chinese run is cut
  into words by the character HMM (compiled here, ``viterbi.py``), every other piece is split on
  whitespace; ``normal.filter_stop`` drops stop words; then ``Bayes.classify`` sums
  ``log(getsum_k) - log(total)`` and ``log(freq_k(word))`` word by word, in order, per class, and
  returns ``1 / sum_j exp(tmp_j - tmp_k)`` for the best class (``1 - p`` when it is ``neg``).
The Bayes step runs in Python with ``math.log``/``math.exp`` and the same order of additions
(logs are precomputed per word by ``model.py``), so every score is bit-identical to SnowNLP's,
not just within 1e-12. No traditional-to-simplified conversion happens (SnowNLP's
``sentiments`` does none either); ``brandrep score --to-simplified`` opts into one explicitly.

Edge cases as SnowNLP has them: text without Chinese is scored from its whitespace tokens (all
unknown to the model, so usually 0.5); whitespace-only text gets the prior (about 0.526). The
empty string is the one difference: ``SnowNLP('')`` raises ``ZeroDivisionError`` in its BM25
constructor before sentiment is computed, while ``sentiment.classify('')`` returns the prior; the
engine returns that prior. ``brandrep score`` reports such texts by status instead of a score.

Speed: texts are scored in batches; identical texts in a batch are scored once; all Chinese runs
of a batch go through one compiled call.
"""

from __future__ import annotations

import re
from math import exp
from typing import Iterable, Sequence

import numpy as np

from brandrep.sentiment import model as _model
from brandrep.sentiment.viterbi import build_table, segment_runs

RE_ZH = re.compile("([\u4E00-\u9FA5]+)")  # snownlp.seg.re_zh


class SentimentEngine:
    """Holds SnowNLP's models as arrays; build once per process (``get_engine()`` does)."""

    def __init__(self, seg_tables: _model.SegTables | None = None, bayes: _model.BayesTables | None = None):
        self.seg = seg_tables if seg_tables is not None else _model.load_seg_tables()
        self.bayes = bayes if bayes is not None else _model.load_bayes_tables()
        if len(self.bayes.classes) != 2:
            raise ValueError(f"expected a two-class SnowNLP sentiment model, got {self.bayes.classes!r}")
        self._pos_first = self.bayes.classes[0] == "pos"
        seg = self.seg
        # character bigram/trigram -> group of entries, via hash tables (viterbi.py)
        bi_c3 = np.repeat(np.arange(_model.N_CHARS, dtype=np.int64), np.diff(seg.bi_char_start))
        tri_c3 = np.repeat(np.arange(_model.N_CHARS, dtype=np.int64), np.diff(seg.tri_char_start))
        bi_table = build_table(seg.bi_grp_key * _model.N_CHARS + bi_c3)
        tri_table = build_table(seg.tri_grp_key * _model.N_CHARS + tri_c3)
        self._seg_args = (
            seg.found, seg.uni_lp,
            *bi_table, seg.bi_grp_start, seg.bi_tags, seg.bi_val,
            *tri_table, seg.tri_grp_start, seg.tri_tags, seg.tri_val,
            _model.N_CHARS,
        )

    # -- segmentation ---------------------------------------------------------------------------
    def _cut_runs(self, runs: Sequence[str]) -> tuple[list[str], list[int]]:
        """Words of all-Chinese runs (``snownlp.seg.single_seg``), flat, and how many per run."""
        if not runs:
            return [], []
        joined = "".join(runs)
        codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64) - (_model.FIRST_CP - 1)
        lengths = np.fromiter(map(len, runs), dtype=np.int64, count=len(runs))
        starts = np.zeros(len(runs) + 1, dtype=np.int64)
        np.cumsum(lengths, out=starts[1:])
        flags = segment_runs(codes, starts, int(lengths.max()), *self._seg_args)
        word_starts = np.flatnonzero(flags)
        bounds = word_starts.tolist()
        bounds.append(len(joined))
        words = [joined[a:b] for a, b in zip(bounds, bounds[1:])]
        per_run = np.diff(np.searchsorted(word_starts, starts)).tolist()
        return words, per_run

    def words_many(self, texts: Sequence[str]) -> list[list[str]]:
        """``snownlp.seg.seg(text)`` for each text (before stop-word filtering)."""
        parts_list = [RE_ZH.split(t) for t in texts]
        words, per_run = self._cut_runs([run for parts in parts_list for run in parts[1::2]])
        result = []
        k = r = 0
        for parts in parts_list:
            # parts alternate: other text, Chinese run, other text, ...; other text splits on
            # whitespace exactly as SnowNLP's strip() + split() does
            text_words = parts[0].split()
            for j in range(1, len(parts), 2):
                count = per_run[r]
                r += 1
                text_words += words[k:k + count]
                k += count
                if parts[j + 1]:
                    text_words += parts[j + 1].split()
            result.append(text_words)
        return result

    # -- classification -------------------------------------------------------------------------
    def _classify(self, words: list[str]) -> float:
        bayes = self.bayes
        word_logs = bayes.word_logs
        unseen = bayes.unseen
        t0, t1 = bayes.prior
        for word in words:
            logs = word_logs.get(word, unseen)
            if logs is None:  # stop word: normal.filter_stop removed it
                continue
            t0 += logs[0]
            t1 += logs[1]
        # Bayes.classify's final loop, class by class in the model's order
        ret, prob = -1, 0
        for k, tk in enumerate((t0, t1)):
            try:
                now = 0
                now += exp(t0 - tk)
                now += exp(t1 - tk)
                now = 1 / now
            except OverflowError:
                now = 0
            if now > prob:
                ret, prob = k, now
        is_pos = ret == (0 if self._pos_first else 1)
        return prob if is_pos else 1 - prob

    def score_many(self, texts: Sequence[str]) -> np.ndarray:
        """SnowNLP sentiment of each text (float64 array, same order)."""
        unique = list(dict.fromkeys(texts))
        scores = {t: self._classify(w) for t, w in zip(unique, self.words_many(unique))}
        return np.fromiter((scores[t] for t in texts), dtype=np.float64, count=len(texts))


_ENGINE: SentimentEngine | None = None


def get_engine() -> SentimentEngine:
    """The process-wide engine (models are loaded on first use)."""
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = SentimentEngine()
    return _ENGINE


def score_texts(texts: Iterable[str], *, batch_size: int = 4096) -> np.ndarray:
    """Exactly ``[SnowNLP(t).sentiments for t in texts]`` (``''`` gets the prior), much faster."""
    texts = list(texts)
    engine = get_engine()
    out = np.empty(len(texts), dtype=np.float64)
    for i in range(0, len(texts), batch_size):
        out[i:i + batch_size] = engine.score_many(texts[i:i + batch_size])
    return out


def score_text(text: str) -> float:
    """One text; prefer ``score_texts`` for many (it batches the compiled segmenter)."""
    return float(score_texts([text])[0])


def segment(text: str) -> list[str]:
    """SnowNLP's word segmentation of ``text`` (``SnowNLP(text).words``), fast."""
    return get_engine().words_many([text])[0]
