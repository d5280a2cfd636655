"""Fast, exact SnowNLP sentiment: ``score_texts(texts)[i] == SnowNLP(texts[i]).sentiments``.

SnowNLP's pipeline (snownlp 0.12.3), reproduced step by step:
  ``SnowNLP(doc).sentiments`` -> ``sentiment.classify(doc)`` -> ``Sentiment.handle(doc)``:
  ``seg.seg(doc)`` splits the text with ``re_zh = ([\\u4E00-\\u9FA5]+)``; each Chinese run is cut
  into words by the character HMM (compiled, ``textpath.py``), every other piece is split on
  whitespace; ``normal.filter_stop`` drops stop words; then ``Bayes.classify`` sums
  ``log(getsum_k) - log(total)`` and ``log(freq_k(word))`` word by word, in order, per class, and
  returns ``1 / sum_j exp(tmp_j - tmp_k)`` for the best class (``1 - p`` when it is ``neg``).
The whole path runs compiled, a chunk of texts per call (``textpath.py``), adding the word logs
precomputed by ``model.py`` with ``math.log`` in SnowNLP's order of additions and finishing with
the C library's ``exp`` (CPython's ``math.exp``), so every score is bit-identical to SnowNLP's,
not just within 1e-12. No traditional-to-simplified conversion happens (SnowNLP's
``sentiments`` does none either); ``brandrep score --to-simplified`` opts into one explicitly.

Edge cases as SnowNLP has them: text without Chinese is scored from its whitespace tokens (all
unknown to the model, so usually 0.5); whitespace-only text gets the prior (about 0.526). The
empty string is the one difference: ``SnowNLP('')`` raises ``ZeroDivisionError`` in its BM25
constructor before sentiment is computed, while ``sentiment.classify('')`` returns the prior; the
engine returns that prior. ``brandrep score`` reports such texts by status instead of a score.

Speed: texts are scored in batches; identical texts in a batch are scored once; a batch is one
compiled call (cutting, Viterbi, stop words, Bayes sums), with no Python per text or per word.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

import numpy as np

from brandrep.sentiment import model as _model
from brandrep.sentiment import textpath

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
        # character bigram/trigram -> group of entries, via hash tables (textpath.py)
        bi_c3 = np.repeat(np.arange(_model.N_CHARS, dtype=np.int64), np.diff(seg.bi_char_start))
        tri_c3 = np.repeat(np.arange(_model.N_CHARS, dtype=np.int64), np.diff(seg.tri_char_start))
        bi_table = textpath.build_table(seg.bi_grp_key * _model.N_CHARS + bi_c3,
                                        seg.bi_grp_start, seg.bi_tags, seg.bi_val)
        tri_table = textpath.build_table(seg.tri_grp_key * _model.N_CHARS + tri_c3,
                                         seg.tri_grp_start, seg.tri_tags, seg.tri_val)
        self._seg_args = (
            seg.found, seg.uni_lp,
            *bi_table, seg.bi_grp_start, seg.bi_tags, seg.bi_val,
            *tri_table, seg.tri_grp_start, seg.tri_tags, seg.tri_val,
            _model.N_CHARS,
        )

        vocabulary = textpath.Vocabulary(self.bayes.word_logs)
        self._bayes_args = (*vocabulary.args, *self.bayes.prior, *self.bayes.unseen, self._pos_first)
        self._is_space = textpath.whitespace_table()
        self._no_single = np.zeros(0, dtype=np.int64)
        self._single_lookup = (None, self._no_single)

    def analyse(self, texts: Sequence[str], single=None, *, spans: bool = False):
        """One compiled pass over ``texts``: (scores, single-character topic masks, token starts,
        token ends, tokens per text), see :func:`textpath.score_chunk`. ``single``: sorted code
        points and topic masks of one-character terms (``TopicTagger.single_table``)."""
        return self.analyse_code_points(*textpath.code_points(texts), single, spans=spans)

    def analyse_code_points(self, codes: np.ndarray, starts: np.ndarray, single=None, *, spans: bool = False):
        """:meth:`analyse` of the texts ``codes[starts[t]:starts[t + 1]]``, as
        :func:`textpath.code_points` gives them: a caller that needs the code points too (topic
        matching) converts the chunk once."""
        max_len = int(np.diff(starts).max()) if len(starts) > 1 else 0
        if single is None:
            lookup = self._no_single
        else:
            if self._single_lookup[0] is not single:  # built once per table, not per chunk
                self._single_lookup = (single, textpath.single_lookup_table(*single))
            lookup = self._single_lookup[1]
        return textpath.score_chunk(codes, starts, max_len, self._is_space, *self._bayes_args,
                                    lookup, spans, *self._seg_args)

    def words_many(self, texts: Sequence[str]) -> list[list[str]]:
        """``snownlp.seg.seg(text)`` for each text (before stop-word filtering)."""
        if not texts:
            return []
        _, _, span_a, span_b, per_text = self.analyse(texts, spans=True)
        joined = "".join(texts)
        words = [joined[a:b] for a, b in zip(span_a.tolist(), span_b.tolist())]
        bounds = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(per_text, out=bounds[1:])
        bounds = bounds.tolist()
        return [words[a:b] for a, b in zip(bounds, bounds[1:])]

    def score_many(self, texts: Sequence[str]) -> np.ndarray:
        """SnowNLP sentiment of each text (float64 array, same order)."""
        unique = list(dict.fromkeys(texts))
        if len(unique) == len(texts):
            return self.analyse(unique)[0]
        scores = dict(zip(unique, self.analyse(unique)[0].tolist()))
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
