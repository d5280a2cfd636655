"""Issue 12: a JSON Lines column has one type for the whole file, whatever its records mix."""

from __future__ import annotations

import pandas as pd
import pytest

from brandrep.cli import main
from brandrep.io import iter_table_chunks, read_table

MIXED = '{"id": 1, "text": "门锁好"}\n{"id": "A2", "text": 5}\n{"id": 3.50, "text": true}\n'


@pytest.mark.parametrize("chunk_size", [1, 2, None])
def test_mixed_json_types_read_as_their_written_text_in_every_chunk(tmp_path, chunk_size):
    path = tmp_path / "m.jsonl"
    path.write_text(MIXED, encoding="utf-8")
    chunks = list(iter_table_chunks(path, required=("text",), chunk_size=chunk_size))
    frame = pd.concat([c.frame for c in chunks], ignore_index=True)
    assert frame["id"].tolist() == ["1", "A2", "3.50"]
    assert frame["text"].tolist() == ["门锁好", "5", "true"]
    repairs = " ".join(r for c in chunks for r in c.repairs)
    assert "column 'text': JSON numbers read as their written text" in repairs
    assert "column 'text': JSON true/false read as the text 'true'/'false'" in repairs


def test_nested_json_numbers_stay_numbers_in_the_json_text(tmp_path):
    path = tmp_path / "n.jsonl"
    path.write_text('{"text": "好", "extra": [1, 2.5]}\n', encoding="utf-8")
    assert read_table(path, required=("text",)).frame["extra"].tolist() == ["[1, 2.5]"]


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_score_writes_a_file_whose_ids_mix_numbers_and_text(tmp_path, suffix, capsys):
    path = tmp_path / "m.jsonl"
    path.write_text(MIXED, encoding="utf-8")
    out = tmp_path / f"out{suffix}"
    assert main(["score", str(path), "--text-column", "text", "--id-column", "id", "--output", str(out),
                 "--chunk-size", "1", "--quiet"]) == 0
    frame = pd.read_parquet(out) if suffix == ".parquet" else pd.read_csv(out, dtype=str, encoding="utf-8-sig")
    assert frame["id"].tolist() == ["1", "A2", "3.50"]
    assert frame["text"].tolist() == ["门锁好", "5", "true"]


def test_scoring_an_already_scored_file_suffixes_the_old_columns(tmp_path, capsys):
    source = tmp_path / "in.csv"
    source.write_text("id,text\n1,门锁坏了\n2,售后很好\n", encoding="utf-8")
    once, twice = tmp_path / "once.csv", tmp_path / "twice.csv"
    assert main(["score", str(source), "--text-column", "text", "--output", str(once), "--quiet"]) == 0
    assert main(["score", str(once), "--text-column", "text", "--output", str(twice), "--quiet"]) == 0
    thrice = tmp_path / "thrice.parquet"
    assert main(["score", str(twice), "--text-column", "text", "--output", str(thrice), "--quiet"]) == 0
    frame = pd.read_parquet(thrice)
    assert list(frame.columns) == [
        "id", "text",
        "sentiment_input", "sentiment_probability_input", "status_input", "topics_input",
        "sentiment_input_2", "sentiment_probability_input_2", "status_input_2", "topics_input_2",
        "sentiment", "sentiment_probability", "status", "topics",
    ]
    assert frame["sentiment_input"].tolist() == frame["sentiment"].astype(str).tolist()


def test_xlsx_columns_mixing_ints_dates_and_text_read_as_text_and_score(tmp_path, capsys):
    import datetime

    import openpyxl

    path = tmp_path / "mixed.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "text", "when"])
    sheet.append([1, "门锁坏了", datetime.datetime(2024, 11, 11)])
    sheet.append(["A2", 7, "last week"])
    book.save(path)
    frame = read_table(path, required=("text",)).frame
    assert frame["id"].tolist() == ["1", "A2"]
    assert frame["text"].tolist() == ["门锁坏了", "7"]
    assert frame["when"].tolist() == ["2024-11-11", "last week"]
    out = tmp_path / "out.parquet"
    assert main(["score", str(path), "--text-column", "text", "--output", str(out), "--quiet"]) == 0
    assert pd.read_parquet(out)["id"].tolist() == ["1", "A2"]


def test_score_csv_neutralises_formulas_and_parquet_keeps_the_text(tmp_path, capsys):
    source = tmp_path / "in.csv"
    source.write_text('id,text\n1,"=HYPERLINK(""x"")门锁"\n2,+1 好评\n3,-差评\n4,@售后\n5,门锁=好\n',
                      encoding="utf-8")
    for out in (tmp_path / "out.csv", tmp_path / "kept.parquet"):  # x.csv and x.parquet share side files
        assert main(["score", str(source), "--text-column", "text", "--output", str(out), "--quiet"]) == 0
    csv_text = pd.read_csv(tmp_path / "out.csv", dtype=str, encoding="utf-8-sig")["text"].tolist()
    assert csv_text == ["'=HYPERLINK(\"x\")门锁", "'+1 好评", "'-差评", "'@售后", "门锁=好"]
    assert pd.read_parquet(tmp_path / "kept.parquet")["text"].tolist() == [
        '=HYPERLINK("x")门锁', "+1 好评", "-差评", "@售后", "门锁=好"]
