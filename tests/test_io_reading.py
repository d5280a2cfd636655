"""The reader on a corpus of hostile files the tests write themselves (no committed binaries)."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest

from brandrep.errors import InputError
from brandrep.io import (
    Accounting,
    AccountingError,
    iter_table_chunks,
    read_table,
    rejects_path,
    write_accounting,
    write_rejects,
)

SIMPLIFIED = "小米智能门锁售后服务太差了，指纹识别经常失败"
TRADITIONAL = "臺灣門鎖壞了，售後服務很差，指紋識別失敗"


def write_bytes(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def assert_balanced(result):
    acc = result.accounting
    assert acc.read == acc.accepted + acc.rejected + acc.duplicates
    assert acc.accepted == len(result.frame)
    assert acc.rejected + acc.duplicates == len(result.rejects)
    assert acc.duplicates == len(result.duplicates)
    assert acc.duplicates == result.rejects["reason"].str.startswith("duplicate of line").sum()


# ---------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    "codec, text, expected",
    [
        ("utf-8", SIMPLIFIED, "utf-8"),
        ("utf-8-sig", SIMPLIFIED, "utf-8-sig"),
        ("gb18030", SIMPLIFIED, "gb18030"),
        ("gbk", SIMPLIFIED, "gb18030"),
        ("big5", TRADITIONAL, "cp950"),
        ("utf-16", SIMPLIFIED, "utf-16"),
        ("utf-16-le", SIMPLIFIED, "utf-16-le"),
    ],
)
def test_each_encoding_is_detected_and_decoded(tmp_path, codec, text, expected):
    content = f"text,brand\n{text},小米\n门锁还行吧,美的\n" if codec != "big5" else f"text,brand\n{text},小米\n門鎖還行吧,美的\n"
    path = write_bytes(tmp_path, "complaints.csv", content.encode(codec))
    result = read_table(path, required=("text", "brand"))
    assert result.encoding == expected
    assert result.frame["text"].iloc[0] == text
    assert result.frame["brand"].tolist() == ["小米", "美的"]
    assert result.frame["_line"].tolist() == [2, 3]
    assert result.accounting == Accounting(read=2, accepted=2, rejected=0, duplicates=0)


def test_bom_does_not_stick_to_the_first_column_name(tmp_path):
    path = write_bytes(tmp_path, "bom.csv", "\ufefftext,brand\n好,小米\n".encode("utf-8"))
    result = read_table(path, required=("text",))
    assert list(result.frame.columns) == ["text", "brand", "_line"]


def test_excel_unicode_text_export_utf16_tab_separated(tmp_path):
    # Excel's "Unicode Text" is UTF-16 LE with BOM, tab-separated, CRLF, often named .txt
    content = "text\tbrand\r\n" + f"{SIMPLIFIED}\t小米\r\n"
    path = write_bytes(tmp_path, "export.txt", content.encode("utf-16"))
    result = read_table(path, required=("text", "brand"))
    assert (result.format, result.encoding) == ("tsv", "utf-16")
    assert result.frame["text"].tolist() == [SIMPLIFIED]


def test_undecodable_bytes_reject_that_row_only(tmp_path):
    good = "text,brand\n门锁很好,小米\n".encode("gb18030")
    bad = b"\xff\xfe\xfd broken,x\n"
    more = "门锁不错,美的\n".encode("gb18030")
    path = write_bytes(tmp_path, "mixed.csv", good + bad + more)
    result = read_table(path, required=("text",))
    assert result.frame["text"].tolist() == ["门锁很好", "门锁不错"]
    assert result.rejects["line"].tolist() == [3]
    assert result.rejects["column"].tolist() == ["text"]
    assert "undecodable" in result.rejects["reason"].iloc[0]
    assert "\\xff" in result.rejects["raw"].iloc[0]
    assert_balanced(result)


# ---------------------------------------------------------------- structure


def test_wrong_field_count_goes_to_rejects_with_line_and_rest_loads(tmp_path):
    path = write_bytes(tmp_path, "f.csv", "text,brand\n好,小米\n坏,美的,多余\n差\n行,格力\n".encode())
    result = read_table(path, required=("text",))
    assert result.frame["_line"].tolist() == [2, 5]
    assert result.rejects["line"].tolist() == [3, 4]
    assert result.rejects["reason"].tolist() == ["wrong field count: expected 2, found 3", "wrong field count: expected 2, found 1"]
    assert result.rejects["raw"].tolist() == ["坏,美的,多余", "差"]
    assert set(result.rejects["file"]) == {"f.csv"}
    assert_balanced(result)


def test_trailing_empty_fields_from_excel_are_repaired_not_rejected(tmp_path):
    path = write_bytes(tmp_path, "t.csv", b"text,brand\nok,mi,,\n")
    result = read_table(path, required=("text",))
    assert result.frame["brand"].tolist() == ["mi"]
    assert any("empty fields" in r for r in result.repairs)


def test_unclosed_quote_rejects_one_line_and_reads_the_rest(tmp_path):
    path = write_bytes(tmp_path, "q.csv", 'text,brand\n"unclosed,x\nok,y\nfine,z\n'.encode())
    result = read_table(path, required=("text",))
    assert result.rejects["line"].tolist() == [2]
    assert "unbalanced quote" in result.rejects["reason"].iloc[0]
    assert result.frame["_line"].tolist() == [3, 4]
    assert_balanced(result)


def test_quoted_multiline_field_keeps_its_first_line_number(tmp_path):
    path = write_bytes(tmp_path, "m.csv", 'text,brand\n"第一行\n第二行",小米\n后面,美的\n'.encode())
    result = read_table(path, required=("text",))
    assert result.frame["text"].tolist() == ["第一行\n第二行", "后面"]
    assert result.frame["_line"].tolist() == [2, 4]


def test_mixed_line_endings_all_end_lines(tmp_path):
    path = write_bytes(tmp_path, "le.csv", b"text,brand\r\na,1\nb,2\rc,3\r\n")
    result = read_table(path, required=("text",))
    assert result.frame["text"].tolist() == ["a", "b", "c"]
    assert result.frame["_line"].tolist() == [2, 3, 4, 5][:3]
    assert any("mixed line endings" in r for r in result.repairs)


def test_semicolon_csv_from_european_excel(tmp_path):
    path = write_bytes(tmp_path, "s.csv", "text;share\n好;15,15\n".encode())
    result = read_table(path, required=("text", "share"))
    assert result.frame["share"].tolist() == ["15,15"]


def test_excel_sep_hint_line(tmp_path):
    path = write_bytes(tmp_path, "x.csv", "sep=;\r\ntext;share\r\n好;15,15\r\n".encode("utf-8-sig"))
    result = read_table(path, required=("text", "share"))
    assert result.frame.to_dict("list") == {"text": ["好"], "share": ["15,15"], "_line": [3]}


def test_cells_are_kept_as_written(tmp_path):
    path = write_bytes(tmp_path, "v.csv", "value,empty\n超过15.8万,\n0015,NA\n".encode())
    frame = read_table(path, required=("value",)).frame
    assert frame["value"].tolist() == ["超过15.8万", "0015"]
    assert frame["empty"].tolist() == ["", "NA"]


def test_a_one_megabyte_single_text_loads(tmp_path):
    big = "门锁" * 300_000  # 600k characters, 1.8 MB in UTF-8
    path = write_bytes(tmp_path, "big.csv", f"id,text\n1,{big}\n2,短\n".encode())
    result = read_table(path, required=("text",))
    assert result.frame["text"].str.len().tolist() == [len(big), 1]


def test_empty_file_and_missing_file_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="empty"):
        read_table(write_bytes(tmp_path, "e.csv", b""), required=("text",))
    with pytest.raises(InputError, match="not found"):
        read_table(tmp_path / "nope.csv")


def test_header_only_file_gives_an_empty_balanced_result(tmp_path):
    result = read_table(write_bytes(tmp_path, "h.csv", b"text,brand\n"), required=("text",))
    assert len(result.frame) == 0 and list(result.frame.columns) == ["text", "brand", "_line"]
    assert result.accounting == Accounting()


# ---------------------------------------------------------------- columns


def test_renamed_column_error_names_expected_and_found_columns(tmp_path):
    path = write_bytes(tmp_path, "r.csv", "content,brand\n好,小米\n".encode())
    with pytest.raises(InputError) as caught:
        read_table(path, required=("text",))
    message = str(caught.value)
    assert "r.csv" in message and "'text'" in message
    assert "'content'" in message and "'brand'" in message
    assert caught.value.column == "text"


def test_every_missing_column_is_named(tmp_path):
    path = write_bytes(tmp_path, "m.csv", b"a,b\n1,2\n")
    with pytest.raises(InputError, match=r"'text' not found; columns found: 'a', 'b' \(also missing: 'brand'\)"):
        read_table(path, required=("text", "brand"))


def test_near_miss_is_suggested(tmp_path):
    path = write_bytes(tmp_path, "n.csv", "txet,brand\n好,小米\n".encode())
    with pytest.raises(InputError, match="did you mean 'txet'"):
        read_table(path, required=("text",))


def test_column_names_normalised_and_renamed(tmp_path):
    path = write_bytes(tmp_path, "c.csv", " ＴＥＸＴ ,Period Start,other\n好,2024-10-14,x\n".encode())
    result = read_table(path, required=("text", "period_start"))
    assert list(result.frame.columns) == ["text", "period_start", "other", "_line"]
    assert result.columns == {" ＴＥＸＴ ": "text", "Period Start": "period_start"}


def test_rename_maps_a_file_column_to_the_required_name(tmp_path):
    path = write_bytes(tmp_path, "c.csv", "content,brand\n好,小米\n".encode())
    result = read_table(path, required=("text",), rename={"content": "text"})
    assert result.frame["text"].tolist() == ["好"]


def test_two_columns_claiming_one_name_is_an_error(tmp_path):
    path = write_bytes(tmp_path, "d.csv", "Text,text \n好,坏\n".encode())
    with pytest.raises(InputError, match="rename one"):
        read_table(path, required=("text",))


# ---------------------------------------------------------------- duplicates


def test_exact_duplicates_are_counted_and_kept_out(tmp_path):
    path = write_bytes(tmp_path, "dup.csv", "text,brand\n好,小米\n坏,美的\n好,小米\n好,美的\n好,小米\n".encode())
    result = read_table(path, required=("text",))
    assert result.frame["_line"].tolist() == [2, 3, 5]
    assert result.duplicates[["line", "duplicate_of"]].to_dict("list") == {"line": [4, 6], "duplicate_of": [2, 2]}
    assert result.accounting == Accounting(read=5, accepted=3, rejected=0, duplicates=2)
    # the rejects list every row not used, duplicates included, with the row as written
    assert result.rejects[["line", "reason", "raw"]].to_dict("records") == [
        {"line": 4, "reason": "duplicate of line 2", "raw": "好,小米"},
        {"line": 6, "reason": "duplicate of line 2", "raw": "好,小米"},
    ]
    assert_balanced(result)


def test_dedupe_false_keeps_duplicates(tmp_path):
    path = write_bytes(tmp_path, "dup.csv", "text\n好\n好\n".encode())
    result = read_table(path, required=("text",), dedupe=False)
    assert len(result.frame) == 2 and result.accounting.duplicates == 0


# ---------------------------------------------------------------- JSON Lines, Parquet, XLSX


def test_jsonl_broken_line_is_rejected_with_its_line_number(tmp_path):
    lines = [
        json.dumps({"text": "门锁好", "brand": "小米"}, ensure_ascii=False),
        '{"text": "broken',
        "",
        json.dumps({"text": "门锁差", "brand": "美的", "extra": [1, 2]}, ensure_ascii=False),
        "[1, 2]",
    ]
    path = write_bytes(tmp_path, "c.jsonl", "\n".join(lines).encode())
    result = read_table(path, required=("text",))
    assert result.format == "jsonl"
    assert result.frame["_line"].tolist() == [1, 4]
    assert result.frame["extra"].iloc[1] == "[1, 2]"
    assert result.rejects["line"].tolist() == [2, 5]
    assert result.rejects["reason"].iloc[0].startswith("invalid JSON")
    assert result.rejects["raw"].iloc[0] == '{"text": "broken'
    assert_balanced(result)


def test_jsonl_lone_surrogate_escape_rejects_only_its_line(tmp_path):
    lines = [rb'{"text": "\u597d"}', rb'{"text": "\ud800\u574f"}', rb'{"text": "ok"}']
    path = write_bytes(tmp_path, "s.jsonl", b"\n".join(lines))
    result = read_table(path, required=("text",))
    assert result.frame["_line"].tolist() == [1, 3]
    assert result.rejects["line"].tolist() == [2]
    assert "lone surrogate" in result.rejects["reason"].iloc[0]
    assert_balanced(result)


def test_jsonl_missing_required_key_everywhere_is_an_error(tmp_path):
    path = write_bytes(tmp_path, "c.jsonl", b'{"content": "x"}\n')
    with pytest.raises(InputError, match="'content'"):
        read_table(path, required=("text",))


def test_json_detected_by_content_without_extension(tmp_path):
    path = write_bytes(tmp_path, "export", b'{"text": "x"}\n{"text": "y"}\n')
    assert read_table(path, required=("text",)).format == "jsonl"


def test_parquet_with_duplicates_and_renamed_column(tmp_path):
    path = tmp_path / "p.parquet"
    pd.DataFrame({"Text ": ["a", "b", "a"], "n": [1, 2, 1]}).to_parquet(path)
    result = read_table(path, required=("text",))
    assert result.format == "parquet"
    assert result.frame.to_dict("list") == {"text": ["a", "b"], "n": [1, 2], "_line": [1, 2]}
    assert result.accounting.duplicates == 1
    assert result.duplicates[["line", "reason", "raw"]].values.tolist() == [[3, "duplicate of line 1", "a\t1"]]


def test_parquet_named_csv_is_read_as_parquet(tmp_path):
    path = tmp_path / "wrong.csv"
    pd.DataFrame({"text": ["a"]}).to_parquet(path)
    result = read_table(path, required=("text",))
    assert result.format == "parquet" and any("is parquet" in r for r in result.repairs)


def test_xlsx_via_openpyxl(tmp_path):
    path = tmp_path / "book.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Text", "brand", "complaints"])
    sheet.append([SIMPLIFIED, "小米", 110])
    sheet.append([None, None, None])
    sheet.append(["门锁差", "美的", 52, "stray value"])
    sheet.append(["", "格力", 47])
    book.save(path)
    result = read_table(path, required=("text", "complaints"))
    assert result.format == "xlsx"
    assert result.frame["text"].iloc[0] == SIMPLIFIED
    assert pd.isna(result.frame["text"].iloc[1])  # an empty Excel cell is missing, not ""
    assert result.frame["complaints"].tolist() == [110, 47]
    assert result.frame["_line"].tolist() == [2, 5]
    assert result.rejects["line"].tolist() == [4]
    assert_balanced(result)


# ---------------------------------------------------------------- chunks and accounting


def test_chunks_sum_to_the_whole_and_dedupe_across_chunks(tmp_path):
    rows = "".join(f"t{i % 7},b\n" for i in range(50)) + "bad,row,here\n"
    path = write_bytes(tmp_path, "c.csv", ("text,brand\n" + rows).encode())
    whole = read_table(path, required=("text",))
    chunks = list(iter_table_chunks(path, required=("text",), chunk_size=8))
    assert [c.chunk for c in chunks] == list(range(len(chunks)))
    assert all(c.accounting.read <= 8 for c in chunks)
    assert sum(c.accounting for c in chunks) == whole.accounting
    assert whole.accounting == Accounting(read=51, accepted=7, rejected=1, duplicates=43)
    assert pd.concat([c.frame for c in chunks], ignore_index=True).equals(whole.frame)


def test_missing_column_raises_before_any_chunk(tmp_path):
    path = write_bytes(tmp_path, "c.csv", b"content\nx\n")
    with pytest.raises(InputError):
        next(iter_table_chunks(path, required=("text",), chunk_size=10))


def test_accounting_line_check_and_sum():
    a = Accounting(read=5, accepted=3, rejected=1, duplicates=1)
    assert a.line() == "rows read 5 = accepted 3 + rejected 1 + duplicates 1"
    assert a + a == Accounting(10, 6, 2, 2)
    assert sum([a, a]) == Accounting(10, 6, 2, 2)
    with pytest.raises(AccountingError):
        Accounting(read=5, accepted=3).check()


# ---------------------------------------------------------------- rejects file


def test_write_rejects_beside_the_output_with_header_when_empty(tmp_path):
    out = tmp_path / "scores.parquet"
    written = write_rejects(None, out)
    assert written == tmp_path / "scores.rejects.csv" == rejects_path(out)
    assert written.read_bytes() == "\ufefffile,line,column,reason,raw\n".encode()


def test_write_rejects_round_trip(tmp_path):
    path = write_bytes(tmp_path, "f.csv", "text,brand\n坏,美的,多余\n".encode())
    result = read_table(path, required=("text",))
    written = write_rejects(result.rejects, tmp_path / "out.csv")
    back = pd.read_csv(written, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert back.to_dict("records") == [
        {"file": "f.csv", "line": "2", "column": "", "reason": "wrong field count: expected 2, found 3", "raw": "坏,美的,多余"}
    ]


def test_write_accounting_beside_the_output(tmp_path):
    written = write_accounting(Accounting(3, 1, 1, 1), tmp_path / "scores.csv")
    assert written == tmp_path / "scores.accounting.json"
    assert json.loads(written.read_text(encoding="utf-8")) == {
        "read": 3, "accepted": 1, "rejected": 1, "duplicates": 1,
        "line": "rows read 3 = accepted 1 + rejected 1 + duplicates 1",
        "written_by": "brandrep", "output": "scores.csv",
    }
    with pytest.raises(AccountingError):
        write_accounting(Accounting(read=3), tmp_path / "bad.csv")


def test_json_array_records_numbered(tmp_path):
    path = write_bytes(tmp_path, "a.json", json.dumps([{"text": "好"}, 3, {"text": "坏"}], ensure_ascii=False).encode())
    result = read_table(path, required=("text",))
    assert result.format == "json"
    assert result.frame[["text", "_line"]].values.tolist() == [["好", 1], ["坏", 3]]
    assert result.rejects["reason"].tolist() == ["not a JSON object: a JSON int"]


def test_parquet_streams_in_chunks(tmp_path):
    path = tmp_path / "big.parquet"
    pd.DataFrame({"text": [f"t{i % 10}" for i in range(25)]}).to_parquet(path)
    chunks = list(iter_table_chunks(path, required=("text",), chunk_size=10))
    assert [c.accounting.read for c in chunks] == [10, 10, 5]
    assert sum(c.accounting for c in chunks) == Accounting(read=25, accepted=10, duplicates=15)
    assert chunks[1].duplicates["line"].tolist()[:2] == [11, 12]


def test_xlsx_second_sheet_and_dates(tmp_path):
    import datetime as dt

    path = tmp_path / "book.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "notes"
    book.active.append(["nothing here"])
    sheet = book.create_sheet("data")
    sheet.append(["brand", "as_of"])
    sheet.append(["小米", dt.datetime(2024, 12, 9)])
    book.save(path)
    result = read_table(path, required=("brand", "as_of"), sheet="data")
    assert result.frame["as_of"].tolist() == [pd.Timestamp("2024-12-09")]
    with pytest.raises(InputError, match="no sheet 'other'; sheets: notes, data"):
        read_table(path, sheet="other")


def test_xls_binary_is_refused_with_advice(tmp_path):
    path = write_bytes(tmp_path, "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(InputError, match="save it as .xlsx"):
        read_table(path)


@pytest.mark.parametrize("text", ["²", "€", "万"])
def test_tiny_gb18030_files_are_not_read_as_utf16(tmp_path, text):
    # found by hypothesis: a detector calls a 10-byte GB18030 file UTF-16; without a BOM or NUL
    # bytes a table is never UTF-16
    path = write_bytes(tmp_path, "tiny.csv", f"text\n{text}\n".encode("gb18030"))
    result = read_table(path, required=("text",))
    assert result.encoding == "gb18030" and result.frame["text"].tolist() == [text]
