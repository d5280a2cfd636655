"""SnowNLP's whole per-text path, compiled: a chunk of texts in, a score per text out (issue 17).

One numba call per chunk does, text by text and in SnowNLP's order, what ``Sentiment.handle``
does: cut the text into runs of ``[\\u4E00-\\u9FA5]`` (``snownlp.seg.re_zh``) and the pieces
between them; decode each run with the compiled Viterbi (:func:`decode_run`); split each
other piece on whitespace exactly as ``str.split()`` does; drop stop words
(``normal.filter_stop``); add the naive Bayes logs word by word, per class, from the prior; and
finish with ``Bayes.classify``'s loop. Python touches the chunk (one string join and encode),
not each text.

Why this stays bit-identical to SnowNLP:
  * the word logs are the doubles :mod:`model` computed with Python's ``math.log``; the kernel
    only adds them, one word at a time in text order, without ``fastmath`` (IEEE additions in
    the same order give the same double);
  * ``math.exp`` in numba is a call to the C library's ``exp``, the function CPython's
    ``math.exp`` calls, so the final step rounds the same way (``tests/test_sentiment_engine.py``
    compares them on 650,000 arguments; numba's SVML ``exp``, used only if Intel's ``icc_rt`` is
    installed, would not be the same function, and that test would say so). Where CPython
    raises ``OverflowError`` (SnowNLP then sets the class's value to 0) the C function returns
    ``inf`` and ``1 / inf`` is 0 as well;
  * words are found in the vocabulary through a hash of their code points, and every hit is
    confirmed character by character, so a hash collision can cost a probe, never a wrong word;
  * whitespace is the set ``str.isspace`` holds (the one ``str.split()`` uses), taken from the
    running Python, not written out by hand.

The same pass also reports, per text, the topics of one-character lexicon terms that occur as a
whole word (:mod:`topics` needs the segmentation for those only), so tagging needs no second
segmentation and no list of words in Python.

One file for all of it, on purpose: numba's on-disk cache (``cache=True``) of a function is
kept while *its own* source file is unchanged, so a compiled caller in one file would go on
using an old copy of a callee edited in another (seen while working on issue 17: an edited
decoder was not recompiled into ``score_chunk``). ``tests/test_sentiment_engine.py`` checks
that every compiled function ``score_chunk`` reaches is defined here.

The word segmenter is SnowNLP's ``CharacterBasedGenerativeModel.tag`` + ``Seg.seg``. Why numba:
almost all of SnowNLP's time goes into this Viterbi decoder: for every character it loops over
4 tags x 16 previous states in Python, with three dictionary look-ups and a ``log`` each. The
recursion is sequential along the text and its tie-breaking is order-dependent, so it does not
vectorise well with NumPy (texts differ in length; each step depends on the last), and Cython
would need a C compiler wherever brandrep is installed. numba compiles the plain loop to machine
code on first use and caches it. The kernel only adds and compares doubles precomputed by
``model.py`` with Python's own arithmetic, without ``fastmath``, so its results are
bit-identical to SnowNLP's.

Exact replication of SnowNLP's quirks (``snownlp/seg/y09_2047.py``):
  * states are (previous tag, current tag), visited in the order SnowNLP's dict inserts them:
    index ``cur*4 + prev``; the initial state is (BOS, BOS) and the first step has 4 states;
  * for each new state the first predecessor (in that order) with the strictly largest score wins;
  * a character with no unigram count for any tag ("not_found") copies scores without a
    transition, and there the *last* predecessor wins (a later dict write overwrites);
  * the final state is the first one with the largest score (``max`` keeps the first).
Word boundaries follow ``Seg.seg``: a word starts at tag b or s, and after a tag e.
"""

from __future__ import annotations

import math
import re

import numpy as np
from numba import njit

FIRST_CP = 0x4E00
LAST_CP = 0x9FA5
_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)
_MULT = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: multiply, keep the top bits


# ------------------------------------------------------------------------- hash tables
# Each model bigram/trigram *of characters* owns a group of (tag combination, log-prob) entries.
# Groups are found through an open-addressing hash table of 16-byte slots, four to a cache line:
# the first word holds the key shifted left by _INFO_BITS and, below it, whether the group has a
# single entry and that entry's tag combination; the second holds that entry's log-prob (its
# bits) or, for a group of several entries, the group's index.
# 95% of trigram groups and 82% of bigram groups have one entry, so a look-up is usually one
# memory access, where reading the group arrays after the slot cost three more (issue 17). Keys
# are below N_CHARS**3 < 2**44, so the shifted key stays below 2**63 and the empty slot, -1,
# never equals one.

_INFO_BITS = 19
_INFO_MASK = (1 << _INFO_BITS) - 1


@njit(cache=True)
def _slots(keys, bits):
    """The slot of each key in a table of ``2**bits`` slots, keys placed in order."""
    size = 1 << bits
    taken = np.zeros(size, dtype=np.bool_)
    shift = np.uint64(64 - bits)
    mask = size - 1
    slots = np.empty(keys.shape[0], dtype=np.int64)
    for group in range(keys.shape[0]):
        slot = np.int64((np.uint64(keys[group]) * _MULT) >> shift)
        while taken[slot]:
            slot = (slot + 1) & mask
        taken[slot] = True
        slots[group] = slot
    return slots


def table_bits(n: int) -> int:
    """log2 of the slots for ``n`` keys: at most a third full. A probe for a key that is absent
    (most trigram look-ups) then reads 1.5 slots on average, against 2.3 at half full; the bigram
    table, 47% full under a half-full rule, cost the kernel 19% of its time (issue 17)."""
    return max(4, int(np.ceil(np.log2(max(1, n) * 3))))


def build_table(keys: np.ndarray, grp_start: np.ndarray, tags: np.ndarray, values: np.ndarray):
    """(table, its float64 view, shift, mask) for groups ``keys`` whose entries are
    ``tags[grp_start[g]:grp_start[g + 1]]`` with ``values``."""
    keys = np.ascontiguousarray(keys, dtype=np.int64)
    if len(keys) and int(keys.max()) >= 1 << (63 - _INFO_BITS):
        raise ValueError("group keys too large to pack beside their tag")
    first = grp_start[:-1]
    single = np.diff(grp_start) == 1
    info = np.where(single, (tags[first].astype(np.int64) << 1) | 1, 0)
    payload = np.arange(len(keys), dtype=np.int64)
    payload[single] = values[first[single]].view(np.int64)
    table, shift, mask = _filled_table(keys, (keys << _INFO_BITS) | info, payload)
    return table, table.view(np.float64), shift, mask


def _filled_table(keys: np.ndarray, first_words: np.ndarray, second_words: np.ndarray):
    """(table, shift, mask): an open-addressing table of 16-byte slots, at most a third full,
    ``keys[i]`` placed by :func:`_slots` with ``first_words[i], second_words[i]`` in its slot
    (-1 in both words of an empty slot)."""
    bits = table_bits(len(keys))
    slots = _slots(keys, bits)
    table = np.full(2 << bits, -1, dtype=np.int64)
    table[2 * slots] = first_words
    table[2 * slots + 1] = second_words
    return table, np.uint64(64 - bits), (1 << bits) - 1


@njit(cache=True, inline="always")
def _probe(table, shift, mask, key):
    """The slot holding ``key``, or -1 when the model has no such character bigram/trigram."""
    slot = np.int64((np.uint64(key) * _MULT) >> shift)
    while True:
        found = table[2 * slot]
        if (found >> _INFO_BITS) == key:
            return slot
        if found == -1:
            return -1
        slot = (slot + 1) & mask


@njit(cache=True)
def decode_run(codes, a, n, flags, back, tags, prev, cur, bi16, tri64, found, uni_lp,
               bi_table, bi_values, bi_shift, bi_mask, bi_grp_start, bi_tags, bi_val,
               tri_table, tri_values, tri_shift, tri_mask, tri_grp_start, tri_tags, tri_val, n_chars):
    """Decode one run ``codes[a:a+n]`` (n >= 1): set ``flags[a+i] = 1`` where a word starts.

    ``back`` (at least n x 16), ``tags`` (at least n), ``prev``/``cur``/``bi16`` (16) and
    ``tri64`` (64) are scratch space, allocated once by the caller for all its runs.
    """
    prev[0] = 0.0  # (BOS, BOS) with score 0.0
    for i in range(n):
        c = codes[a + i]
        n_t = 1 if i == 0 else 4   # previous states' current tags
        n_u = 1 if i <= 1 else 4   # previous states' previous tags
        c2 = codes[a + i - 1] if i >= 1 else 0
        c1 = codes[a + i - 2] if i >= 2 else 0
        if not found[c]:
            for s in range(4):
                for t in range(n_t):
                    src = t * 4 + (n_u - 1)  # the last predecessor overwrites
                    cur[s * 4 + t] = prev[src]
                    back[i, s * 4 + t] = src
        else:
            # log-probs for every (u, t, s): trigram if present, else bigram, else unigram
            for s in range(4):
                base = uni_lp[c * 4 + s]
                for t in range(4):
                    bi16[t * 4 + s] = base
            slot = _probe(bi_table, bi_shift, bi_mask, c2 * n_chars + c)
            if slot >= 0:
                info = bi_table[2 * slot] & _INFO_MASK
                if info & 1:
                    bi16[info >> 1] = bi_values[2 * slot + 1]
                else:
                    g = bi_table[2 * slot + 1]
                    for e in range(bi_grp_start[g], bi_grp_start[g + 1]):
                        bi16[bi_tags[e]] = bi_val[e]
            # a trigram group of one entry changes one (u, t, s): the states are decided on the
            # bigram log-probs, then the one state that entry belongs to is decided again with it
            one = -1
            one_lp = 0.0
            many = False
            slot = _probe(tri_table, tri_shift, tri_mask, (c1 * n_chars + c2) * n_chars + c)
            if slot >= 0:
                info = tri_table[2 * slot] & _INFO_MASK
                if info & 1:
                    one = info >> 1
                    one_lp = tri_values[2 * slot + 1]
                else:
                    many = True
                    g = tri_table[2 * slot + 1]
                    for u in range(4):
                        for k in range(16):
                            tri64[u * 16 + k] = bi16[k]
                    for e in range(tri_grp_start[g], tri_grp_start[g + 1]):
                        tri64[tri_tags[e]] = tri_val[e]
            # the first predecessor sets the state, a later one replaces it only when
            # strictly better (SnowNLP: `not in stage or p > stage[...][0]`)
            for s in range(4):
                for t in range(n_t):
                    lp = tri64[t * 4 + s] if many else bi16[t * 4 + s]
                    best = prev[t * 4] + lp
                    arg = t * 4
                    for u in range(1, n_u):
                        lp = tri64[u * 16 + t * 4 + s] if many else bi16[t * 4 + s]
                        p = prev[t * 4 + u] + lp
                        if p > best:
                            best = p
                            arg = t * 4 + u
                    cur[s * 4 + t] = best
                    back[i, s * 4 + t] = arg
            if one >= 0:
                s = one & 3
                t = (one >> 2) & 3
                if t < n_t:
                    bi_lp = bi16[t * 4 + s]
                    best = prev[t * 4] + (one_lp if one >> 4 == 0 else bi_lp)
                    arg = t * 4
                    for u in range(1, n_u):
                        p = prev[t * 4 + u] + (one_lp if one >> 4 == u else bi_lp)
                        if p > best:
                            best = p
                            arg = t * 4 + u
                    cur[s * 4 + t] = best
                    back[i, s * 4 + t] = arg
        for k in range(16):
            prev[k] = cur[k]
    # final state: first maximum in state order (only prev tag 0 exists after one char)
    n_t = 1 if n == 1 else 4
    best = prev[0]
    state = 0
    for s in range(4):
        for t in range(n_t):
            k = s * 4 + t
            if prev[k] > best:
                best = prev[k]
                state = k
    for i in range(n - 1, -1, -1):
        tags[i] = state // 4
        state = back[i, state]
    for i in range(n):
        flags[a + i] = 1 if i == 0 or tags[i] == 0 or tags[i] == 3 or tags[i - 1] == 2 else 0


# ------------------------------------------------------------------------- the whole path


@njit(cache=True, inline="always")
def _hash(codes, a, b):
    """FNV-1a over code points ``codes[a:b]``."""
    h = _FNV_OFFSET
    for i in range(a, b):
        h = (h ^ np.uint64(codes[i])) * _FNV_PRIME
    return h


@njit(cache=True)
def _word_hashes(pool, starts):
    """Each word's :func:`_hash`, its bits as int64 (the keys :func:`_slots` places)."""
    hashes = np.empty(starts.shape[0] - 1, dtype=np.int64)
    for w in range(hashes.shape[0]):
        hashes[w] = np.int64(_hash(pool, starts[w], starts[w + 1]))
    return hashes


@njit(cache=True, inline="always")
def _find_word(codes, a, b, table, shift, mask, pool, pool_starts):
    """``word * 2 + is_stop`` of the vocabulary word equal to ``codes[a:b]``, or -1."""
    h = _hash(codes, a, b)
    key = np.int64(h)
    slot = np.int64((h * _MULT) >> shift)
    n = b - a
    while True:
        entry = table[2 * slot + 1]
        if entry == -1:
            return -1
        w = entry >> 1
        if table[2 * slot] == key and pool_starts[w + 1] - pool_starts[w] == n:
            p = pool_starts[w]
            same = True
            for i in range(n):
                if pool[p + i] != codes[a + i]:
                    same = False
                    break
            if same:
                return entry
        slot = (slot + 1) & mask


@njit(cache=True)
def kernel_exp(xs):
    """``exp`` of each value as the kernel computes it (tests compare it with ``math.exp``)."""
    out = np.empty(xs.shape[0])
    for i in range(xs.shape[0]):
        out[i] = math.exp(xs[i])
    return out


@njit(cache=True)
def score_chunk(codes, text_starts, max_len, is_space,
                vocab_table, vocab_shift, vocab_mask, vocab_pool, vocab_starts,
                word_logs, prior0, prior1, unseen0, unseen1, pos_first,
                single_lookup, want_spans,
                found, uni_lp, bi_table, bi_values, bi_shift, bi_mask, bi_grp_start, bi_tags, bi_val,
                tri_table, tri_values, tri_shift, tri_mask, tri_grp_start, tri_tags, tri_val, n_chars):
    """Score every text ``codes[text_starts[t]:text_starts[t+1]]`` (code points).

    Returns (scores, single-character topic masks, token starts, token ends, tokens per text);
    the token arrays are filled only when ``want_spans`` (SnowNLP's words before stop-word
    filtering, as offsets into ``codes``).
    """
    n_texts = text_starts.shape[0] - 1
    total = codes.shape[0]
    scores = np.empty(n_texts)
    masks = np.zeros(n_texts, dtype=np.int64)
    n_spans = total if want_spans else 1
    span_a = np.empty(n_spans, dtype=np.int64)
    span_b = np.empty(n_spans, dtype=np.int64)
    per_text = np.zeros(n_texts, dtype=np.int64)
    width = max(max_len, 1)
    run_codes = np.empty(width, dtype=np.int64)
    run_flags = np.zeros(width, dtype=np.uint8)
    back = np.zeros((width, 16), dtype=np.int8)
    tags = np.zeros(width, dtype=np.int8)
    prev = np.empty(16)
    cur = np.empty(16)
    bi16 = np.empty(16)
    tri64 = np.empty(64)
    n_space = is_space.shape[0]
    n_single = single_lookup.shape[0]
    k = 0
    for t in range(n_texts):
        end = text_starts[t + 1]
        t0 = prior0
        t1 = prior1
        mask = 0
        i = text_starts[t]
        n_tokens = 0
        while i < end:
            c = codes[i]
            if FIRST_CP <= c <= LAST_CP:
                j = i
                while j < end and FIRST_CP <= codes[j] <= LAST_CP:
                    run_codes[j - i] = codes[j] - (FIRST_CP - 1)
                    j += 1
                decode_run(run_codes, 0, j - i, run_flags, back, tags, prev, cur, bi16, tri64, found, uni_lp,
                           bi_table, bi_values, bi_shift, bi_mask, bi_grp_start, bi_tags, bi_val,
                           tri_table, tri_values, tri_shift, tri_mask, tri_grp_start, tri_tags, tri_val, n_chars)
                word_a = i
                # walk the words of the run: a word ends where the next one starts
                while word_a < j:
                    word_b = word_a + 1
                    while word_b < j and run_flags[word_b - i] == 0:
                        word_b += 1
                    # The word step is written out here and for the other pieces below, not
                    # factored into a helper: numba's compiled helper (inline or not) made the
                    # kernel 40% slower (5.5M against 3.3M characters/s, measured 2026-12-02).
                    w = _find_word(codes, word_a, word_b, vocab_table, vocab_shift, vocab_mask,
                                   vocab_pool, vocab_starts)
                    if w < 0:
                        t0 += unseen0
                        t1 += unseen1
                    elif not w & 1:  # not a stop word
                        t0 += word_logs[w]
                        t1 += word_logs[w + 1]
                    if word_b - word_a == 1 and n_single > 0:
                        mask |= _single_mask(codes[word_a], single_lookup)
                    if want_spans:
                        span_a[k] = word_a
                        span_b[k] = word_b
                        k += 1
                    n_tokens += 1
                    word_a = word_b
                i = j
            elif c < n_space and is_space[c]:
                i += 1
            else:
                j = i + 1
                while j < end:
                    d = codes[j]
                    if (FIRST_CP <= d <= LAST_CP) or (d < n_space and is_space[d]):
                        break
                    j += 1
                w = _find_word(codes, i, j, vocab_table, vocab_shift, vocab_mask,
                               vocab_pool, vocab_starts)
                if w < 0:
                    t0 += unseen0
                    t1 += unseen1
                elif not w & 1:
                    t0 += word_logs[w]
                    t1 += word_logs[w + 1]
                if j - i == 1 and n_single > 0:
                    mask |= _single_mask(c, single_lookup)
                if want_spans:
                    span_a[k] = i
                    span_b[k] = j
                    k += 1
                n_tokens += 1
                i = j
        per_text[t] = n_tokens
        masks[t] = mask
        # Bayes.classify's final loop, class by class in the model's order
        ret = -1
        prob = 0.0
        for cls in range(2):
            tk = t0 if cls == 0 else t1
            now = 0.0
            now += math.exp(t0 - tk)
            now += math.exp(t1 - tk)
            now = 1.0 / now  # an overflowed exp is inf here, so now is 0 as in SnowNLP
            if now > prob:
                ret = cls
                prob = now
        is_pos = ret == (0 if pos_first else 1)
        scores[t] = prob if is_pos else 1.0 - prob
    return scores, masks, span_a[:k], span_b[:k], per_text


@njit(cache=True, inline="always")
def _single_mask(cp, single_lookup):
    if cp < single_lookup.shape[0]:
        return single_lookup[cp]
    return 0


def single_lookup_table(single_cps: np.ndarray, single_masks: np.ndarray) -> np.ndarray:
    """``lookup[cp]``: the topic mask of code point ``cp`` as a one-character term (0 if none;
    code points past the end have none). A table look-up per one-character word: the binary
    search it replaces was about a third of the kernel's time on complaint texts (issue 17)."""
    lookup = np.zeros(int(single_cps.max()) + 1 if single_cps.shape[0] else 0, dtype=np.int64)
    lookup[single_cps] = single_masks
    return lookup


def whitespace_table() -> np.ndarray:
    """``is_space[cp]`` for every code point up to the last one ``str.isspace`` accepts."""
    # found by one regular-expression scan of all code points: ``\s`` in a str pattern is
    # str.isspace (the same C test); a call per code point cost 0.1 s of each start-up
    every = np.arange(0x110000, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    spaces = [match.start() for match in re.finditer(r"\s", every)]
    table = np.zeros(max(spaces) + 1, dtype=np.bool_)
    table[spaces] = True
    return table


def code_points(texts) -> tuple[np.ndarray, np.ndarray]:
    """All texts' code points in one array (lone surrogates included) and each text's offsets."""
    codes = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
    starts = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)), out=starts[1:])
    return codes, starts


class Vocabulary:
    """The naive Bayes words as arrays the kernel searches (built once, from ``BayesTables``)."""

    def __init__(self, word_logs: dict):
        words = list(word_logs)
        pool, starts = code_points(words)
        pool = pool.astype(np.int32)
        logs = [word_logs[w] for w in words]
        is_stop = np.array([v is None for v in logs], dtype=np.bool_)
        # 16-byte slots: a word's hash, then ``word * 2 + is_stop`` (-1: an empty slot). A probe
        # reads the hash and the stop-word flag from one cache line, the word's characters only
        # when the hash matches (issue 17)
        hashes = _word_hashes(pool, starts)
        table, shift, mask = _filled_table(hashes, hashes, 2 * np.arange(len(words), dtype=np.int64) + is_stop)
        # a word's two class logs side by side, at 2 * word (what the table gives, less the
        # stop-word flag): one cache line per word; a stop word's are never read
        self.logs = np.array([x for v in logs for x in (v if v is not None else (0.0, 0.0))], dtype=np.float64)
        self.args = (table, shift, mask, pool, starts, self.logs)
