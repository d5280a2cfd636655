"""Notebook 01's cleaning stops at the file that leaves a required table empty (issue 16)."""

import pytest

from brandrep.cleaning import clean
from brandrep.cli import main
from brandrep.errors import InputError
from brandrep.paths import RAW_DIR

HEADER = "platform,period_end,brand,share,count,total,source_ids\n"


def test_every_row_rejected_stops_naming_file_and_reasons(tmp_path):
    mine = tmp_path / "my_complaints.csv"
    mine.write_text(HEADER + "消费保,2024-11-11,小米,15.15%,,726,\n消费保,2024-11-11,美的,3%,,726,\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        clean(complaints_path=mine)
    message = str(caught.value)
    assert "my_complaints.csv" in message
    assert "complaints table would be empty" in message
    assert "2 x must not be empty" in message


def test_header_only_file_stops(tmp_path):
    mine = tmp_path / "empty_template.csv"
    mine.write_text(HEADER, encoding="utf-8")
    with pytest.raises(InputError, match="empty_template.csv.*no usable row"):
        clean(complaints_path=mine)


def test_shipped_files_still_clean():
    result = clean()
    assert len(result.tables["complaints"]) and len(result.tables["figures"])


def test_check_explains_columns_and_reasons(tmp_path, capsys):
    mine = tmp_path / "mine.csv"
    mine.write_text(HEADER + "消费保,2024-11-11,小米,15.15%,,726,S01\n消费保,2024-11-11,美的,3%,,726,\n",
                    encoding="utf-8")
    assert main(["check", str(mine)]) == 0
    out = capsys.readouterr().out
    assert "required columns: platform, period_end, brand, source_ids" in out
    assert "means: a required column is blank" in out


def test_check_help_lists_required_columns_per_kind(capsys):
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    out = capsys.readouterr().out
    assert "figures: required figure_id" in out and "complaints: required platform" in out
