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
