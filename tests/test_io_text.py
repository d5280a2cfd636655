"""Text hygiene: markup out, Chinese punctuation kept, a status for every text."""

from __future__ import annotations

import pytest

from brandrep.io import CleanText, clean_text


@pytest.mark.parametrize(
    "raw, cleaned",
    [
        ("<p>门锁&nbsp;坏了</p><br/>客服不回复", "门锁 坏了 客服不回复"),
        ("<script>var a = 1;</script><!-- ad -->门锁好", "门锁好"),
        ("&amp;lt;br&amp;gt;门锁&#x574f;了", "门锁坏了"),  # escaped twice by a scraper
        ("价格<100元，太贵", "价格<100元，太贵"),  # a less-than sign is not a tag
        ("ＡＢＣ１２３　门锁", "ABC123 门锁"),  # full-width letters, digits, ideographic space
        ("门锁，坏了！（真的）？：；～…", "门锁，坏了！（真的）？：；～…"),  # Chinese punctuation kept
        ("“门锁”。《说明书》、【客服】", "“门锁”。《说明书》、【客服】"),
        ("门\u200b锁\ufeff坏\x00了", "门锁坏了"),  # zero-width and control characters
        ("  门锁\r\n\t坏了\u00a0\u3000 ", "门锁 坏了"),
    ],
)
def test_clean_text(raw, cleaned):
    assert clean_text(raw) == CleanText(cleaned, "")


@pytest.mark.parametrize("raw", ["", "   ", "\u3000\n\t", "<br><p></p>", "&nbsp;", None, float("nan")])
def test_empty_texts_have_status_empty(raw):
    assert clean_text(raw) == CleanText("", "empty")


@pytest.mark.parametrize("raw", ["😡😡😡", "bad lock!!!", "12345", "👍 ok"])
def test_texts_without_chinese_are_kept_with_a_status(raw):
    result = clean_text(raw)
    assert result.status == "no_chinese" and result.text == raw


def test_traditional_to_simplified_only_when_asked():
    assert clean_text("臺灣門鎖壞了，售後很差").text == "臺灣門鎖壞了，售後很差"
    assert clean_text("臺灣門鎖壞了，售後很差", to_simplified=True).text == "台湾门锁坏了，售后很差"


def test_emoji_are_kept_next_to_chinese():
    assert clean_text("门锁坏了😡") == CleanText("门锁坏了😡", "")


def test_a_one_megabyte_text_is_cleaned():
    text = ("<p>门锁坏了&amp;</p>" * 60_000)
    result = clean_text(text)
    assert result.status == "" and result.text.startswith("门锁坏了& 门锁坏了&")


def test_read_then_clean_keeps_every_row_with_a_status(tmp_path):
    # the path `brandrep score` takes: GB18030 export with hostile texts -> every row kept
    rows = [
        ("1", "<p>门锁&nbsp;坏了</p>"),
        ("2", ""),
        ("3", "   "),
        ("4", "😡😡"),
        ("5", "門鎖壞了"),
    ]
    content = "id,text\n" + "".join(f"{i},{t}\n" for i, t in rows)
    path = tmp_path / "export.csv"
    path.write_bytes(content.encode("gb18030"))
    from brandrep.io import read_table

    result = read_table(path, required=("text",))
    cleaned = [clean_text(t, to_simplified=True) for t in result.frame["text"]]
    assert result.frame["id"].tolist() == ["1", "2", "3", "4", "5"]
    assert [c.status for c in cleaned] == ["", "empty", "empty", "no_chinese", ""]
    assert [c.text for c in cleaned] == ["门锁 坏了", "", "", "😡😡", "门锁坏了"]
    assert result.frame["text"].tolist()[0] == "<p>门锁&nbsp;坏了</p>"  # the original is untouched


# ---- clean_texts: a whole batch at once, the same values as clean_text text by text (issue 17)

import math  # noqa: E402
import unicodedata  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from brandrep.io.text import CLEAN_STEPS, _unchanged_table, clean_texts, clean_texts_twice  # noqa: E402

# characters near every rule: Chinese, kept and other full-width punctuation, markup, entities,
# spaces of all kinds, invisible ones, combining marks and what they compose with, Hangul jamo,
# compatibility ideographs, emoji, traditional characters, a lone surrogate
_TRICKY = list("门锁坏了這個，。！？…～“”《》ＡＢ１　 \t\n\u00a0\u200b\ufeff\x00<>&;#pbr/eé\u0301\u0338"
               "\u1100\u1161\u11a8가\u3099か\uf900\u2f800😡ª½\ud800")
_SPECS = [(), ("markup",), ("width",), ("whitespace",), ("markup", "width", "whitespace"),
          ("width", "whitespace", "simplified")]


def _one_by_one(texts, steps):
    cleaned = [clean_text(t, steps=steps) for t in texts]
    return [c.text for c in cleaned], [c.status for c in cleaned]


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(st.one_of(st.text(alphabet=st.sampled_from(_TRICKY), max_size=12), st.text(max_size=8),
                                st.text(alphabet=st.sampled_from(list("门锁，ae。 ~é") + [" ", "\u3000", "&", "\u0301"]),
                                        min_size=1, max_size=6),
                                st.sampled_from([None, math.nan, 3, ""])), max_size=25),
       steps=st.sampled_from(_SPECS))
def test_clean_texts_equals_clean_text_text_by_text(texts, steps):
    try:
        expected = _one_by_one(texts, steps)
    except UnicodeEncodeError:  # OpenCC refuses a lone surrogate: so must the batch
        with pytest.raises(UnicodeEncodeError):
            clean_texts(texts, steps=steps)
        return
    assert clean_texts(texts, steps=steps) == expected



@settings(max_examples=200, deadline=None)
@given(texts=st.lists(st.one_of(st.text(alphabet=st.sampled_from(_TRICKY), max_size=12), st.text(max_size=8),
                                st.sampled_from([None, math.nan, 3, ""])), max_size=25),
       steps=st.sampled_from(_SPECS[:-1]), other=st.sampled_from(_SPECS[:-1]))
def test_cleaning_twice_from_one_scan_equals_cleaning_text_by_text(texts, steps, other):
    # brandrep score cleans each chunk for scoring and for tagging from one scan (issue 17)
    assert clean_texts_twice(texts, steps, other) == (_one_by_one(texts, steps), _one_by_one(texts, other))


def test_every_code_point_taken_as_unchanged_is_left_alone_next_to_others():
    table = _unchanged_table()
    unchanged = [chr(cp) for cp in range(len(table) - 1) if table[cp]]
    assert "门" in unchanged and "，" in unchanged and " " in unchanged and "\u0301" not in unchanged and "ａ" not in unchanged
    for char in unchanged:
        for text in ("门" + char + "锁", "门" + char + char + "a" + char):
            if text.strip() == text and "  " not in text:
                assert clean_text(text) == CleanText(text, ""), repr(char)


def test_no_code_point_taken_as_unchanged_composes_with_the_one_before():
    # the table looks for later parts of canonical decompositions in the BMP only; this scans
    # every code point, so a Unicode version with such a composite elsewhere would fail here
    table = _unchanged_table()
    for cp in range(0x110000):
        mapping = unicodedata.decomposition(chr(cp))
        if mapping and not mapping.startswith("<"):
            for part in mapping.split()[1:]:
                later = int(part, 16)
                assert later >= len(table) - 1 or not table[later], (hex(cp), hex(later))


def test_clean_texts_cleans_what_needs_it_and_keeps_the_rest():
    texts = ["门锁坏了，客服不回", " 门锁  坏了 ", "<p>门锁</p>", "ＡＰＰ闪退", "门锁😡", "", None, "abc",
             "门锁 ", "门锁e\u0301"]
    assert clean_texts(texts) == (["门锁坏了，客服不回", "门锁 坏了", "门锁", "APP闪退", "门锁😡", "", "", "abc",
                                   "门锁", "门锁é"],
                                  ["", "", "", "", "", "empty", "empty", "no_chinese", "", ""])
    assert clean_texts(texts, steps=())[0][:4] == texts[:4]
    assert set(CLEAN_STEPS) >= {"simplified"}
