"""SnowNLP's word segmenter (``CharacterBasedGenerativeModel.tag`` + ``Seg.seg``), compiled.

Why numba. Almost all of SnowNLP's time goes into this Viterbi decoder: for every character it
loops over 4 tags x 16 previous states in Python, with three dictionary look-ups and a ``log``
each. The recursion is sequential along the text and its tie-breaking is order-dependent, so it
does not vectorise well with NumPy (texts differ in length; each step depends on the last), and
Cython would need a C compiler wherever brandrep is installed. numba (already a dependency)
compiles the plain loop to machine code on first use and caches it (``cache=True``). The kernel
only adds and compares doubles precomputed by ``model.py`` with Python's own arithmetic, without
``fastmath``, so its results are bit-identical to SnowNLP's.

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

import numpy as np
from numba import njit

NEG_INF = -np.inf
_MULT = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: multiply, keep the top bits


# ------------------------------------------------------------------------- hash tables
# Each model bigram/trigram *of characters* owns a group of (tag combination, log-prob) entries.
# Groups are found through an open-addressing hash table (key and group index side by side, so
# one probe is one cache line): a look-up costs about one memory access, where a binary search
# over the 630,000 trigram groups cost several.


@njit(cache=True)
def _build_table(keys, bits):
    size = 1 << bits
    table = np.full(2 * size, -1, dtype=np.int64)
    shift = np.uint64(64 - bits)
    mask = size - 1
    for group in range(keys.shape[0]):
        key = keys[group]
        slot = np.int64((np.uint64(key) * _MULT) >> shift)
        while table[2 * slot] != -1:
            slot = (slot + 1) & mask
        table[2 * slot] = key
        table[2 * slot + 1] = group
    return table


def build_table(keys: np.ndarray) -> tuple[np.ndarray, np.uint64, int]:
    """Hash table (at most half full) mapping each key to its position in ``keys``."""
    bits = max(4, int(np.ceil(np.log2(max(1, len(keys)) * 2))))
    return _build_table(np.ascontiguousarray(keys, dtype=np.int64), bits), np.uint64(64 - bits), (1 << bits) - 1


@njit(cache=True, inline="always")
def _lookup(table, shift, mask, key):
    """Group index of ``key``, or -1 when the model has no such character bigram/trigram."""
    slot = np.int64((np.uint64(key) * _MULT) >> shift)
    while True:
        found = table[2 * slot]
        if found == key:
            return table[2 * slot + 1]
        if found == -1:
            return -1
        slot = (slot + 1) & mask


@njit(cache=True)
def decode_run(codes, a, n, flags, back, tags, prev, cur, bi16, tri64, found, uni_lp,
               bi_table, bi_shift, bi_mask, bi_grp_start, bi_tags, bi_val,
               tri_table, tri_shift, tri_mask, tri_grp_start, tri_tags, tri_val, n_chars):
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
            g = _lookup(bi_table, bi_shift, bi_mask, c2 * n_chars + c)
            if g >= 0:
                for e in range(bi_grp_start[g], bi_grp_start[g + 1]):
                    bi16[bi_tags[e]] = bi_val[e]
            g = _lookup(tri_table, tri_shift, tri_mask, (c1 * n_chars + c2) * n_chars + c)
            if g >= 0:
                for u in range(4):
                    for k in range(16):
                        tri64[u * 16 + k] = bi16[k]
                for e in range(tri_grp_start[g], tri_grp_start[g + 1]):
                    tri64[tri_tags[e]] = tri_val[e]
            # the first predecessor sets the state, a later one replaces it only when
            # strictly better (SnowNLP: `not in stage or p > stage[...][0]`)
            for s in range(4):
                for t in range(n_t):
                    lp = tri64[t * 4 + s] if g >= 0 else bi16[t * 4 + s]
                    best = prev[t * 4] + lp
                    arg = t * 4
                    for u in range(1, n_u):
                        lp = tri64[u * 16 + t * 4 + s] if g >= 0 else bi16[t * 4 + s]
                        p = prev[t * 4 + u] + lp
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


@njit(cache=True)
def segment_runs(codes, run_starts, max_len, found, uni_lp,
                 bi_table, bi_shift, bi_mask, bi_grp_start, bi_tags, bi_val,
                 tri_table, tri_shift, tri_mask, tri_grp_start, tri_tags, tri_val, n_chars):
    """Return a flag per character: 1 where SnowNLP's segmenter starts a new word.

    ``codes``: character indices (``model.char_index``) of all runs, concatenated;
    ``run_starts``: offsets of each run in ``codes`` plus the total length at the end.
    Group keys: bigram ``c2 * n_chars + c3``, trigram ``(c1 * n_chars + c2) * n_chars + c3``.
    """
    total = codes.shape[0]
    flags = np.zeros(total, dtype=np.uint8)
    back = np.zeros((max(max_len, 1), 16), dtype=np.int8)
    tags = np.zeros(max(max_len, 1), dtype=np.int8)
    prev = np.empty(16)
    cur = np.empty(16)
    bi16 = np.empty(16)
    tri64 = np.empty(64)
    for r in range(run_starts.shape[0] - 1):
        a = run_starts[r]
        n = run_starts[r + 1] - a
        if n > 0:
            decode_run(codes, a, n, flags, back, tags, prev, cur, bi16, tri64, found, uni_lp,
                       bi_table, bi_shift, bi_mask, bi_grp_start, bi_tags, bi_val,
                       tri_table, tri_shift, tri_mask, tri_grp_start, tri_tags, tri_val, n_chars)
    return flags
