"""Issue 12: a damaged file is one message with file and cause, never a traceback."""

from __future__ import annotations

import zipfile

import openpyxl
import pandas as pd
import pytest

from brandrep.cli import main


def corrupt_parquet(tmp_path):
    path = tmp_path / "c.parquet"
    pd.DataFrame({"text": [f"门锁坏了{i}" * 20 for i in range(2000)]}).to_parquet(path, compression=None)
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 400] = b"\xff" * 400  # inside the data page, footer intact
    path.write_bytes(bytes(data))
    return path


def broken_xlsx(tmp_path):
    good = tmp_path / "good.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["text"])
    book.active.append(["门锁坏了"])
    book.save(good)
    path = tmp_path / "b.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # the sheet's XML cut off mid-element
            dst.writestr(item, data)
    return path


@pytest.mark.parametrize("make", [corrupt_parquet, broken_xlsx])
@pytest.mark.parametrize("command", ["score", "check"])
def test_a_damaged_file_is_one_message_with_file_and_cause(tmp_path, capsys, make, command):
    path = make(tmp_path)
    args = [command, str(path)]
    if command == "score":
        args += ["--text-column", "text", "--output", str(tmp_path / "out.csv"), "--quiet"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"file {path}" in err and "cannot read as" in err
    assert len(err) < 1000


def test_a_ten_million_character_header_is_not_echoed(tmp_path, capsys):
    path = tmp_path / "wide.csv"
    path.write_text("x" * 10_000_000 + "\n1\n", encoding="utf-8")
    assert main(["score", str(path), "--text-column", "text", "--output", str(tmp_path / "o.csv"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "required column 'text' not found" in err
    assert len(err) < 1000


def test_score_exits_2_when_no_row_was_accepted(tmp_path, capsys):
    path = tmp_path / "none.csv"
    path.write_text('text,brand\n"never closed,x\n', encoding="utf-8")
    assert main(["score", str(path), "--text-column", "text", "--output", str(tmp_path / "o.csv"), "--quiet"]) == 2
    captured = capsys.readouterr()
    assert "rows read 1 = accepted 0 + rejected 1" in captured.out
    assert "no row was accepted" in captured.err


def test_check_does_not_echo_a_ten_million_character_header(tmp_path, capsys):
    path = tmp_path / "wide.csv"
    path.write_text("id," + "x" * 10_000_000 + "\n1,a\n", encoding="utf-8")
    assert main(["check", str(path)]) == 2
    captured = capsys.readouterr()
    assert "cannot tell whether this is a figures file" in captured.err
    assert len(captured.err) + len(captured.out) < 1000
