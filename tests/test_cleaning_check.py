"""`brandrep check PATH`: accounting, rejects by reason, exit status."""

import pytest

from brandrep.cli import main
from brandrep.paths import RAW_DIR


@pytest.mark.parametrize(("name", "rows"), [("figures.csv", 101), ("complaint_shares.csv", 13)])
def test_shipped_raw_files_pass(name, rows, capsys):
    assert main(["check", str(RAW_DIR / name), "--strict"]) == 0
    assert f"rows read {rows} = accepted {rows} + rejected 0 + duplicates 0" in capsys.readouterr().out


def test_bad_rows_are_listed_by_reason(tmp_path, capsys):
    path = tmp_path / "mine.csv"
    path.write_text(
        "platform,period_end,brand,share,count,total,source_ids\n"
        "消费保,2024-11-11,小米,15.15%,,726,S01\n"
        "消费保,2024-11-11,美的,120%,,726,S01\n"
        "消费保,2024-11-11,小米,15.15%,,726,S01\n",
        encoding="utf-8",
    )
    assert main(["check", str(path)]) == 0  # usable: one good row
    out = capsys.readouterr().out
    assert "rows read 3 = accepted 1 + rejected 1 + duplicates 1" in out
    assert "line 3, column 'share': impossible share '120%'" in out
    assert "duplicate of line 2" in out
    assert main(["check", str(path), "--strict"]) == 1


def test_unusable_files_exit_non_zero(tmp_path, capsys):
    missing = tmp_path / "missing_total.csv"
    missing.write_text("platform,period_end,share,source_ids\n消费保,2024-11-11,15%,S01\n", encoding="utf-8")
    assert main(["check", str(missing)]) == 2
    assert "brand" in capsys.readouterr().err

    nothing_usable = tmp_path / "all_bad.csv"
    nothing_usable.write_text("platform,period_end,brand,share,total,source_ids\n消费保,2024-11-11,小米,abc,726,S01\n",
                              encoding="utf-8")
    assert main(["check", str(nothing_usable)]) == 2
    assert "no usable row" in capsys.readouterr().err

    assert main(["check", str(tmp_path / "absent.csv")]) == 2


def test_a_gbk_file_from_excel_is_checked_like_utf8(tmp_path, capsys):
    path = tmp_path / "gbk.csv"
    path.write_bytes("platform,period_end,brand,share,total,source_ids\n消费保,2024-11-11,小米,15.15%,726,S01\n"
                     .encode("gb18030"))
    assert main(["check", str(path), "--strict"]) == 0
    assert "rows read 1 = accepted 1 + rejected 0 + duplicates 0" in capsys.readouterr().out


def test_check_prints_the_encoding_it_chose(tmp_path, capsys):
    path = tmp_path / "gbk.csv"
    text = (RAW_DIR / "complaint_shares.csv").read_text(encoding="utf-8")
    path.write_bytes(text.encode("gb18030"))
    assert main(["check", str(path)]) == 0
    assert f"{path}: read as csv, encoding gb18030" in capsys.readouterr().out


@pytest.mark.parametrize("reason, words", [
    ("mixed encodings: line 3 decodes as gb18030 (the file is read as utf-8)", "one encoding"),
    ("formula without a computed value: =SUM(A1:A2) (open and save the workbook in Excel)", "save it"),
    ("undecodable bytes: binary column 'text' is not UTF-8 text", "binary data"),
])
def test_reader_reject_reasons_have_a_meaning(reason, words):
    # `check` explains every reject reason the reader can give, the newer ones too (issue 12)
    from brandrep.cleaning.build import reason_meaning

    assert words in reason_meaning(reason)
