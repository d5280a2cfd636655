"""SnowNLP's bundled models, read from the installed ``snownlp`` package and turned into arrays.

Nothing here is retrained or approximated: the segmentation model (``snownlp/seg/seg.marshal.3``,
a character-based generative model, i.e. a second-order HMM over (character, tag) pairs with tags
b/m/e/s) and the sentiment model (``snownlp/sentiment/sentiment.marshal.3``, a two-class naive
Bayes with add-one smoothing) are the very files SnowNLP loads. We only change their layout.

Why precompute logs here. SnowNLP's Viterbi step scores each transition with
``CharacterBasedGenerativeModel.log_prob(s1, s2, s3) = log(l1*P(s3) + l2*P(s3|s2) + l3*P(s3|s1,s2))``.
That value depends only on the model key, so we evaluate it once per key *with the same Python
expression and ``math.log``* and store the double. The compiled Viterbi then only adds and
compares these doubles, in SnowNLP's order, so it cannot round differently from SnowNLP (a
compiled ``log`` might differ in the last bit from the C library's; we never call one there).

Keys fall into three cases, matching SnowNLP's dictionary look-ups (a missing count is 0):
  * the trigram (s1, s2, s3) is in the model: full formula;
  * only the bigram (s2, s3) is: the trigram term is ``div(l3*0, ...) = 0`` and adding 0 is exact;
  * neither: ``log(l1*P(s3))``, or ``-inf`` when that is 0 (SnowNLP's ``float('-inf')``).

SnowNLP only segments runs of ``[\\u4E00-\\u9FA5]`` (its ``re_zh``), so characters are indexed by
code point (``cp - 0x4E00 + 1``); index 0 is the begin-of-sentence element ``('', 'BOS')``.

Building the arrays takes a few seconds (mostly ``marshal.loads``), so they (segmentation and
Bayes tables) are cached as ``.npz`` in the user cache directory (``$BRANDREP_CACHE_DIR``, else
``$XDG_CACHE_HOME/brandrep``, else ``~/.cache/brandrep``), keyed by the SHA-256 of the model files; set
``BRANDREP_CACHE_DIR=off`` to disable. A cache that cannot be written is silently skipped: it
only saves time, never changes a score.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import itertools
import marshal
import os
import tempfile
from dataclasses import dataclass
from math import log
from pathlib import Path

import numpy as np

TAGS = ("b", "m", "e", "s")
FIRST_CP = 0x4E00
LAST_CP = 0x9FA5
N_CHARS = LAST_CP - FIRST_CP + 2  # + index 0 for BOS
BOS = ("", "BOS")
TABLE_FORMAT = 1  # bump when the array layout changes, to invalidate caches


def snownlp_dir() -> Path:
    """Folder of the installed snownlp package, found without importing it (import loads models)."""
    spec = importlib.util.find_spec("snownlp")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("snownlp is not installed; brandrep's sentiment engine reads its model files")
    return Path(list(spec.submodule_search_locations)[0])


def _load_marshal(path: Path):
    # Same as snownlp's load(..., iszip=True): gzip first, plain marshal as fallback.
    raw = path.read_bytes()
    try:
        raw = gzip.decompress(raw)
    except OSError:
        pass
    return marshal.loads(raw)


def char_index(ch: str) -> int:
    """Index of a model character: 0 for BOS, 1.. for CJK U+4E00..U+9FA5, -1 for anything else."""
    if ch == "":
        return 0
    if len(ch) != 1:
        return -1
    cp = ord(ch)
    return cp - FIRST_CP + 1 if FIRST_CP <= cp <= LAST_CP else -1


@dataclass
class SegTables:
    """Flat arrays for the compiled Viterbi (``engine.py`` indexes the groups by hash tables).

    ``found[c]``: SnowNLP's "not_found" test is false (some (c, tag) has a unigram count).
    ``uni_lp[c*4+s]``: log-prob when neither bigram nor trigram key exists.
    Bigram/trigram entries are grouped by the current character ``c3`` (``*_char_start``), then
    by the earlier character(s) (``*_grp_key``); each group lists (tag combination, log-prob).
    """

    found: np.ndarray
    uni_lp: np.ndarray
    bi_char_start: np.ndarray
    bi_grp_key: np.ndarray
    bi_grp_start: np.ndarray
    bi_tags: np.ndarray
    bi_val: np.ndarray
    tri_char_start: np.ndarray
    tri_grp_key: np.ndarray
    tri_grp_start: np.ndarray
    tri_tags: np.ndarray
    tri_val: np.ndarray

    def arrays(self) -> dict[str, np.ndarray]:
        return dict(self.__dict__)


def _grouped(c3: np.ndarray, grp: np.ndarray, tags: np.ndarray, val: np.ndarray):
    """Sort entries by (c3, grp, tags) and index them: char -> groups -> entries."""
    order = np.lexsort((tags, grp, c3))
    c3, grp, tags, val = c3[order], grp[order], tags[order], val[order]
    # a new group starts where (c3, grp) changes
    change = np.ones(len(c3), dtype=bool)
    change[1:] = (c3[1:] != c3[:-1]) | (grp[1:] != grp[:-1])
    grp_start = np.flatnonzero(change)
    grp_c3 = c3[grp_start]
    grp_key = grp[grp_start]
    char_start = np.searchsorted(grp_c3, np.arange(N_CHARS + 1), side="left").astype(np.int64)
    grp_start = np.append(grp_start, len(c3)).astype(np.int64)
    return char_start, grp_key.astype(np.int64), grp_start, tags.astype(np.int8), val.astype(np.float64)


def build_seg_tables(model: dict) -> SegTables:
    """Evaluate SnowNLP's ``log_prob`` for every model key, exactly as SnowNLP does."""
    l1, l2, l3 = model["l1"], model["l2"], model["l3"]
    if tuple(model["status"]) != TAGS:
        raise ValueError(f"unexpected SnowNLP segmentation tags {model['status']!r}")
    U = model["uni"]["d"]
    B = model["bi"]["d"]
    T = model["tri"]["d"]
    u_total = model["uni"]["total"]
    tag_ix = {t: i for i, t in enumerate(TAGS)}
    tag_ix["BOS"] = 0  # BOS only ever pairs with char index 0, so tag 0 is free for it

    def div(v1, v2):  # CharacterBasedGenerativeModel.div
        if v2 == 0:
            return 0
        return float(v1) / v2

    def finish(uni, bi, tri):  # the tail of CharacterBasedGenerativeModel.log_prob
        if uni + bi + tri == 0:
            return float("-inf")
        return log(uni + bi + tri)

    def element(e):
        c = char_index(e[0])
        if c < 0 or e[1] not in tag_ix:
            return -1, -1
        return c, tag_ix[e[1]]

    found = np.zeros(N_CHARS, dtype=np.bool_)
    uni_lp = np.full(N_CHARS * 4, -np.inf)
    for (ch, tag), count in U.items():
        c = char_index(ch)
        if c <= 0 or tag not in TAGS:
            continue
        if float(count) / u_total != 0:  # SnowNLP: self.uni.freq((w, s)) != 0
            found[c] = True
    for c in range(1, N_CHARS):
        ch = chr(FIRST_CP + c - 1)
        for s, tag in enumerate(TAGS):
            uni = l1 * (float(U.get((ch, tag), 0)) / u_total)
            uni_lp[c * 4 + s] = finish(uni, 0, 0)

    bi_rows = []
    for (s2, s3), count in B.items():
        c2, t2 = element(s2)
        c3, t3 = element(s3)
        if c2 < 0 or c3 <= 0 or s3[1] == "BOS":
            continue
        uni = l1 * (float(U.get(s3, 0)) / u_total)
        bi = div(l2 * count, U.get(s2, 0))
        bi_rows.append((c3, c2, t2 * 4 + t3, finish(uni, bi, 0)))
    tri_rows = []
    for (s1, s2, s3), count in T.items():
        c1, t1 = element(s1)
        c2, t2 = element(s2)
        c3, t3 = element(s3)
        if c1 < 0 or c2 < 0 or c3 <= 0 or s3[1] == "BOS":
            continue
        uni = l1 * (float(U.get(s3, 0)) / u_total)
        bi = div(l2 * B.get((s2, s3), 0), U.get(s2, 0))
        tri = div(l3 * count, B.get((s1, s2), 0))
        tri_rows.append((c3, c1 * N_CHARS + c2, t1 * 16 + t2 * 4 + t3, finish(uni, bi, tri)))

    bi_arr = np.array(bi_rows, dtype=np.float64)
    tri_arr = np.array(tri_rows, dtype=np.float64)
    bi_parts = _grouped(
        bi_arr[:, 0].astype(np.int64), bi_arr[:, 1].astype(np.int64), bi_arr[:, 2].astype(np.int64), bi_arr[:, 3]
    )
    tri_parts = _grouped(
        tri_arr[:, 0].astype(np.int64), tri_arr[:, 1].astype(np.int64), tri_arr[:, 2].astype(np.int64), tri_arr[:, 3]
    )
    return SegTables(found, uni_lp, *bi_parts, *tri_parts)


@dataclass
class BayesTables:
    """SnowNLP's sentiment classifier (``snownlp.classification.bayes.Bayes``) as log tables.

    ``classes``: class names in the model's own order (the order SnowNLP loops over them).
    ``prior[k] = log(getsum_k) - log(total)``; ``word_logs[w][k] = log(freq_k(w))``; a word
    missing from class k has ``log(1/total_k)`` (``AddOneProb.none = 1``), held in ``unseen``.
    Stop words (``snownlp/normal/stopwords.txt``, removed by ``normal.filter_stop``) map to None.
    """

    classes: tuple[str, ...]
    prior: tuple[float, ...]
    unseen: tuple[float, ...]
    word_logs: dict


def build_bayes_tables(model: dict, stopwords: set[str]) -> BayesTables:
    classes = tuple(model["d"].keys())
    total = model["total"]
    prior = tuple(log(model["d"][k]["total"]) - log(total) for k in classes)
    unseen = tuple(log(float(model["d"][k]["none"]) / model["d"][k]["total"]) for k in classes)
    vocabulary = set()
    for k in classes:
        vocabulary.update(model["d"][k]["d"])
    word_logs: dict = {}
    for word in vocabulary:
        logs = []
        for k in classes:
            probs = model["d"][k]
            count = probs["d"].get(word, probs["none"])  # BaseProb.get
            logs.append(log(float(count) / probs["total"]))  # BaseProb.freq
        word_logs[word] = tuple(logs)
    for word in stopwords:
        word_logs[word] = None  # filtered out before classification
    return BayesTables(classes, prior, unseen, word_logs)


def read_stopwords(base: Path) -> set[str]:
    # snownlp.normal: stop.add(word.strip()) for each line of stopwords.txt
    return {line.strip() for line in (base / "normal" / "stopwords.txt").read_text(encoding="utf-8").splitlines(True)}


def _cache_dir() -> Path | None:
    value = os.environ.get("BRANDREP_CACHE_DIR")
    if value and value.lower() in {"off", "0", "no", "none"}:
        return None
    if value:
        return Path(value)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "brandrep"


def load_seg_tables() -> SegTables:
    """Seg tables for the installed snownlp, from the cache when its model file is unchanged."""
    path = snownlp_dir() / "seg" / "seg.marshal.3"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:20]
    cache_dir = _cache_dir()
    cache = cache_dir / f"snownlp_seg_v{TABLE_FORMAT}_{digest}.npz" if cache_dir else None
    if cache is not None and cache.exists():
        try:
            with np.load(cache) as data:
                return SegTables(**{name: data[name] for name in SegTables.__dataclass_fields__})
        except Exception:  # a damaged cache is rebuilt, never trusted
            pass
    tables = build_seg_tables(_load_marshal(path))
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=cache.parent, suffix=".npz.part")
            with os.fdopen(fd, "wb") as f:
                np.savez(f, **tables.arrays())
            os.replace(tmp, cache)
        except OSError:
            pass
    return tables


def load_bayes_tables() -> BayesTables:
    """Bayes tables for the installed snownlp, from the cache when its model and stop-word files
    are unchanged (issue 17: building them was about 0.1 s of every ``brandrep score`` start-up;
    the cache holds the very doubles built here, in the same word order)."""
    base = snownlp_dir()
    model_path, stop_path = base / "sentiment" / "sentiment.marshal.3", base / "normal" / "stopwords.txt"
    digest = hashlib.sha256(model_path.read_bytes() + b"\0" + stop_path.read_bytes()).hexdigest()[:20]
    cache_dir = _cache_dir()
    cache = cache_dir / f"snownlp_bayes_v{TABLE_FORMAT}_{digest}.npz" if cache_dir else None
    if cache is not None and cache.exists():
        try:
            with np.load(cache) as data:
                words = str(data["words"]).split("\n")
                word_logs = dict(zip(words, zip(data["log0"].tolist(), data["log1"].tolist())))
                for word in itertools.compress(words, data["is_stop"].tolist()):
                    word_logs[word] = None  # in place: the word order is the built one
                if len(word_logs) == len(words) == len(data["is_stop"]):
                    return BayesTables(tuple(data["classes"].tolist()), tuple(data["prior"].tolist()),
                                       tuple(data["unseen"].tolist()), word_logs)
        except Exception:  # a damaged cache is rebuilt, never trusted
            pass
    tables = build_bayes_tables(_load_marshal(model_path), read_stopwords(base))
    words = list(tables.word_logs)
    if cache is not None and len(tables.classes) == 2 and not any("\n" in w for w in words):
        values = [tables.word_logs[w] or (0.0, 0.0) for w in words]
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=cache.parent, suffix=".npz.part")
            with os.fdopen(fd, "wb") as f:
                np.savez(f, words=np.array("\n".join(words)), classes=np.array(tables.classes),
                         prior=np.array(tables.prior, dtype=np.float64), unseen=np.array(tables.unseen, dtype=np.float64),
                         is_stop=np.array([tables.word_logs[w] is None for w in words], dtype=np.bool_),
                         log0=np.array([v[0] for v in values], dtype=np.float64),
                         log1=np.array([v[1] for v in values], dtype=np.float64))
            os.replace(tmp, cache)
        except OSError:
            pass
    return tables
