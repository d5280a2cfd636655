"""Topic tags: multi-label, lexicon-driven, editable, and measured on the labelled sample."""

from __future__ import annotations

import pandas as pd
import pytest

from brandrep.errors import InputError
from brandrep.paths import RAW_DIR
from brandrep.sentiment.topics import TOPIC_ORDER, evaluate_topics, read_lexicon, tag_topics


def test_every_topic_of_the_issue_is_in_the_lexicon():
    assert set(read_lexicon()["topic"]) == set(TOPIC_ORDER)


def test_a_text_gets_every_topic_it_mentions_sorted():
    [tags] = tag_topics(["指纹识别不了，找售后也没人管，上门还要加钱"])
    assert tags == "after_sales;fingerprint_face;refund_price"


def test_text_without_a_topic_gets_empty_tags():
    assert tag_topics(["今天天气不错", ""]) == ["", ""]


def test_one_character_term_must_be_a_whole_word():
    # 贵 (expensive) is a term; inside the place name 贵州 it is not a word of its own
    assert tag_topics(["卖得太贵"]) == ["refund_price"]
    assert tag_topics(["贵州的朋友送的"]) == [""]


def test_latin_terms_match_case_insensitively():
    assert tag_topics(["门锁连不上wifi", "APP打不开"])[0] == "app_connectivity"
    assert "app_connectivity" in tag_topics(["APP打不开"])[0]


def test_a_researchers_own_lexicon_replaces_the_default(tmp_path):
    lexicon = tmp_path / "mine.csv"
    lexicon.write_text("topic,label,term\nnoise,噪音,异响\n", encoding="utf-8")
    assert tag_topics(["锁体有异响，售后不管"], lexicon=lexicon) == ["noise"]


def test_broken_lexicon_is_a_clear_error(tmp_path):
    lexicon = tmp_path / "broken.csv"
    lexicon.write_text("topic,word\nnoise,异响\n", encoding="utf-8")
    with pytest.raises(InputError, match="topic, term"):
        tag_topics(["异响"], lexicon=lexicon)


def test_evaluation_counts_multi_label_decisions():
    result = evaluate_topics(["a;b", "a", ""], ["a", "a;b", "b"], topics=["a", "b"]).set_index("topic")
    assert result.loc["a", ["support", "predicted", "true_positive"]].tolist() == [2, 2, 2]
    assert result.loc["b", "precision"] == 0.0 and result.loc["b", "recall"] == 0.0
    assert result.loc["all (micro)", "precision"] == pytest.approx(2 / 4)
    assert result.loc["all (micro)", "recall"] == pytest.approx(2 / 3)


def test_tagger_precision_and_recall_on_the_labelled_sample():
    # in-sample (lexicon and labels come from the same project): a regression guard, not a claim
    sample = pd.read_csv(RAW_DIR / "labelled_complaints.csv", keep_default_na=False)
    micro = evaluate_topics(sample["topics"].tolist(), tag_topics(sample["text"])).iloc[-1]
    assert micro["precision"] >= 0.85 and micro["recall"] >= 0.9


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from brandrep.sentiment import segment  # noqa: E402
from brandrep.sentiment.topics import default_tagger  # noqa: E402

_TERMS = sorted(default_tagger().terms)
_pieces = st.one_of(st.sampled_from(_TERMS), st.sampled_from(list("的了门锁坏好，。 AaPp")),
                    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5))


@settings(max_examples=200, deadline=None)
@given(st.lists(_pieces, max_size=12).map("".join))
def test_compiled_matching_finds_exactly_the_terms_a_plain_search_finds(text):
    tagger = default_tagger()
    words = segment(text)
    lowered, singles = text.lower(), {w.lower() for w in words if len(w) == 1}
    expected = set()
    for term, topics in tagger.terms.items():
        if (term in singles) if len(term) == 1 else (term in lowered):
            expected |= topics
    assert tagger.tag_many([text], [words]) == [";".join(sorted(expected))]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_pieces, max_size=12).map("".join), max_size=6))
def test_one_pass_tagging_equals_tagging_from_word_lists(texts):
    # tag_texts takes the one-character terms from the engine's compiled pass; tag_many from
    # SnowNLP's word lists: the same tags for every text of a batch
    tagger = default_tagger()
    assert tagger.tag_texts(texts) == tagger.tag_many(texts, [segment(t) for t in texts])


def test_a_one_character_latin_term_matches_every_character_that_lower_cases_to_it(tmp_path):
    lexicon = tmp_path / "mine.csv"
    lexicon.write_text("topic,label,term\nkelvin,开,k\n", encoding="utf-8")
    texts = ["门锁 k 坏了", "门锁 K 坏了", "门锁 \u212a 坏了", "门锁 kk 坏了", "门锁坏了"]
    assert tag_topics(texts, lexicon=lexicon) == ["kelvin", "kelvin", "kelvin", "", ""]


def test_chunk_lower_casing_keeps_each_texts_own_lower_case(tmp_path):
    # 'Σ' lower-cases by context (final 'ς' at the end of a text, 'σ' before a letter) and 'İ'
    # to two characters: tagging a batch must equal tagging each text alone
    lexicon = tmp_path / "mine.csv"
    lexicon.write_text("topic,label,term\nfinal,终,aς\ndoor,门,门锁\n", encoding="utf-8")
    texts = ["AΣ", "Bx", "İ", "x门锁"]
    alone = [tag_topics([t], lexicon=lexicon)[0] for t in texts]
    assert alone == ["final", "", "", "door"]
    assert tag_topics(texts, lexicon=lexicon) == alone


def test_block_lower_casing_lists_every_character_lower_changes():
    # _changed_by_lower lower-cases a block of code points at a time (issue 17: a call per
    # character was a quarter of a second of every start-up); it must still be, character by
    # character, what str.lower() changes
    from brandrep.sentiment.topics import _changed_by_lower

    each = tuple((ch, ch.lower()) for ch in map(chr, range(0x110000)) if ch.lower() != ch)
    assert _changed_by_lower() == each


_cased = st.sampled_from(list("AΣσςİIiKkＡａ\u212aǅǄΦWF") + ["APP", "WiFi", "WİFİ", "wİfi", "App", "ΣΑΣ"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.one_of(_pieces, _cased), max_size=12).map("".join), max_size=6))
def test_batch_tagging_matches_terms_in_each_texts_own_lower_case(texts):
    # the trie walk lower-cases code point by code point (issue 17), and hands back the texts
    # where that is not str.lower's result (capital sigma, 'İ'): every text's tags must be the
    # plain search of the terms in its own text.lower()
    tagger = default_tagger()
    expected = []
    for text in texts:
        lowered, singles = text.lower(), {w.lower() for w in segment(text) if len(w) == 1}
        found = set()
        for term, topics in tagger.terms.items():
            if (term in singles) if len(term) == 1 else (term in lowered):
                found |= topics
        expected.append(";".join(sorted(found)))
    assert tagger.tag_texts(texts) == expected
