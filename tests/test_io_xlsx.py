"""Issue 12: XLSX sheets are chosen, typed once for the whole sheet, and formulas without a
computed value are reported. Workbooks are built here with openpyxl (no committed binaries)."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from brandrep.cli import main
from brandrep.errors import InputError
from brandrep.io import iter_table_chunks, read_table


def two_sheets(path):
    book = openpyxl.Workbook()
    book.active.title = "notes"
    book.active.append(["exported by", "someone"])
    data = book.create_sheet("complaints")
    data.append(["id", "text"])
    data.append([1, "门锁坏了"])
    data.append([2, "客服很好"])
    book.create_sheet("empty")
    book.save(path)
    return path


@pytest.mark.parametrize("sheet", ["complaints", "2"])
def test_score_reads_the_sheet_asked_for_and_lists_the_others(tmp_path, capsys, sheet):
    path = two_sheets(tmp_path / "book.xlsx")
    out = tmp_path / "out.parquet"
    assert main(["score", str(path), "--sheet", sheet, "--text-column", "text", "--output", str(out),
                 "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "sheet 'complaints' (other sheets: 'notes', 'empty')" in printed
    assert pd.read_parquet(out)["text"].tolist() == ["门锁坏了", "客服很好"]


def test_an_unknown_sheet_names_the_sheets(tmp_path):
    path = two_sheets(tmp_path / "book.xlsx")
    with pytest.raises(InputError, match=r"no sheet '4'; sheets: notes, complaints, empty \(--sheet takes a name"):
        read_table(path, sheet="4")
    assert main(["score", str(path), "--sheet", "4", "--text-column", "text",
                 "--output", str(tmp_path / "o.csv"), "--quiet"]) == 2


def test_check_reads_the_sheet_asked_for(tmp_path, capsys):
    book = openpyxl.Workbook()
    book.active.title = "readme"
    sheet = book.create_sheet("shares")
    sheet.append(["platform", "period_end", "brand", "share", "total", "source_ids"])
    sheet.append(["黑猫投诉", "2024-12-31", "小米", "15.15%", 1000, "S1"])
    path = tmp_path / "shares.xlsx"
    book.save(path)
    main(["check", str(path), "--sheet", "shares"])
    printed = capsys.readouterr().out
    assert "sheet 'shares' (other sheets: 'readme')" in printed
    assert "rows read 1" in printed


def test_formula_without_a_computed_value_rejects_its_row(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "text", "n"])
    sheet.append([1, "门锁坏了", 3])
    sheet.append([2, '=CONCAT("门锁","差")', 4])  # openpyxl stores no computed value
    sheet.append([3, "好评", "=B1"])
    path = tmp_path / "formulas.xlsx"
    book.save(path)
    result = read_table(path, required=("text",))
    assert result.frame["text"].tolist() == ["门锁坏了"]
    assert result.rejects["line"].tolist() == [3, 4]
    assert result.rejects["column"].tolist() == ["text", "n"]
    assert result.rejects["reason"].iloc[0] == (
        'formula without a computed value: =CONCAT("门锁","差") '
        "(open and save the workbook in Excel to store its values)")
    assert result.accounting.read == 3


def test_integer_ids_keep_their_written_form_with_empty_cells(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "text"])
    sheet.append([1, "门锁坏了"])
    sheet.append([None, "客服很好"])
    sheet.append([3.0, "安装很快"])
    path = tmp_path / "ids.xlsx"
    book.save(path)
    frame = read_table(path, required=("text",)).frame
    assert frame["id"].tolist()[::2] == [1, 3] and pd.isna(frame["id"].iloc[1])
    out = tmp_path / "out.csv"
    assert main(["score", str(path), "--text-column", "text", "--output", str(out), "--quiet"]) == 0
    assert pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")["id"].tolist() == ["1", "", "3"]


def test_types_are_decided_for_the_whole_sheet_not_per_chunk(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "text"])
    for number in range(1, 6):
        sheet.append([number, f"门锁坏了{number}"])
    sheet.append(["A6", "客服很好"])  # only the last chunk has a text id
    path = tmp_path / "late_text.xlsx"
    book.save(path)
    chunks = list(iter_table_chunks(path, required=("text",), chunk_size=2, dedupe=False))
    assert len({str(c.frame["id"].dtype) for c in chunks}) == 1
    assert [v for c in chunks for v in c.frame["id"]] == ["1", "2", "3", "4", "5", "A6"]
    out = tmp_path / "out.parquet"
    assert main(["score", str(path), "--text-column", "text", "--output", str(out), "--chunk-size", "2",
                 "--quiet"]) == 0
    assert pd.read_parquet(out)["id"].tolist() == ["1", "2", "3", "4", "5", "A6"]


def test_text_column_spelled_differently_keeps_the_input_name(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("id,text\n1,门锁坏了\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["score", str(path), "--text-column", "TEXT", "--output", str(out), "--quiet"]) == 0
    assert list(pd.read_csv(out, encoding="utf-8-sig").columns[:2]) == ["id", "text"]


def test_check_reads_integer_columns_with_empty_cells(tmp_path, capsys):
    import datetime

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["platform", "period_end", "brand", "share", "count", "total", "source_ids"])
    sheet.append(["黑猫投诉", datetime.datetime(2024, 12, 31), "美的", None, 30, 1000, "S1"])
    sheet.append(["黑猫投诉", datetime.datetime(2024, 12, 31), "小米", "5%", None, 1000, "S1"])
    path = tmp_path / "shares.xlsx"
    book.save(path)
    assert main(["check", str(path)]) == 0
    assert "rows read 2 = accepted 2 + rejected 0" in capsys.readouterr().out


def test_sheet_on_a_csv_is_refused(tmp_path, capsys):
    path = tmp_path / "in.csv"
    path.write_text("id,text\n1,门锁坏了\n", encoding="utf-8")
    assert main(["score", str(path), "--sheet", "2", "--text-column", "text",
                 "--output", str(tmp_path / "o.csv"), "--quiet"]) == 2
    assert "--sheet applies to Excel workbooks; this file is csv" in capsys.readouterr().err


def test_numbers_in_the_text_column_are_scored_as_their_text(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "text"])
    sheet.append([1, 12345])
    sheet.append([2, 7.5])
    path = tmp_path / "numbers.xlsx"
    book.save(path)
    chunks = list(iter_table_chunks(path, required=("text",), text=("text",), chunk_size=1))
    assert [v for c in chunks for v in c.frame["text"]] == ["12345", "7.5"]
    assert any("column 'text' is text" in r for r in chunks[0].repairs)
    out = tmp_path / "out.parquet"
    assert main(["score", str(path), "--text-column", "text", "--output", str(out), "--quiet"]) == 0
    scored = pd.read_parquet(out)
    assert scored["text"].tolist() == ["12345", "7.5"] and scored["status"].tolist() == ["no_chinese"] * 2
    assert scored["id"].tolist() == [1, 2]


def test_numbers_in_a_parquet_text_column_are_read_as_text(tmp_path):
    path = tmp_path / "numbers.parquet"
    pd.DataFrame({"id": [1, 2], "text": [12345, 7]}).to_parquet(path)
    out = tmp_path / "out.parquet"
    assert main(["score", str(path), "--text-column", "text", "--output", str(out), "--quiet"]) == 0
    assert pd.read_parquet(out)["text"].tolist() == ["12345", "7"]
