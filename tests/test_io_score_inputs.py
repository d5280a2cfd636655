"""Issue 7, done-when, end to end: `brandrep score` on each hostile input format.

The reading layer is tested in test_io_reading.py; this checks that what it promises survives
the command: every good row written, the broken line in OUT.rejects.csv with its line number,
an accounting line that balances on every case, and a renamed column stopping with a clear
message, a non-zero exit and no traceback.
"""

from __future__ import annotations

import json
import re

import openpyxl
import pandas as pd
import pytest

from brandrep.cli import main

TEXTS = ["门锁指纹经常识别不了，找售后也没人管", "", "😡😡", "<p>安装师傅很专业&amp;很快</p>", "這個門鎖質量太差了"]


def csv_bytes(encoding: str, delimiter: str = ",") -> bytes:
    lines = [delimiter.join(["id", "comment"])] + [f"{i}{delimiter}{t}" for i, t in enumerate(TEXTS, 1)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def make_gb18030(path):
    path.write_bytes(csv_bytes("gb18030"))


def make_utf8_bom(path):
    path.write_bytes(csv_bytes("utf-8-sig"))


def make_utf16_tsv(path):
    path.write_bytes(csv_bytes("utf-16", "\t"))


def make_xlsx(path):
    book = openpyxl.Workbook()
    book.active.append(["id", "comment"])
    for i, text in enumerate(TEXTS, 1):
        book.active.append([i, text])
    book.save(path)


def make_jsonl(path):
    lines = [json.dumps({"id": i, "comment": t}, ensure_ascii=False) for i, t in enumerate(TEXTS, 1)]
    lines.insert(2, '{"id": 99, "comment": "断了')  # line 3 is broken
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


CASES = {
    "gb18030.csv": (make_gb18030, []),
    "bom.csv": (make_utf8_bom, []),
    "excel_unicode.txt": (make_utf16_tsv, []),
    "book.xlsx": (make_xlsx, []),
    "broken.jsonl": (make_jsonl, [3]),
}


def accounting_numbers(out: str) -> tuple[int, int, int, int]:
    match = re.search(r"rows read (\d+) = accepted (\d+) \+ rejected (\d+) \+ duplicates (\d+)", out)
    assert match, out
    return tuple(int(g) for g in match.groups())


@pytest.mark.parametrize("name", sorted(CASES))
def test_score_writes_every_good_row_and_rejects_the_broken_line(tmp_path, capsys, name):
    make, broken_lines = CASES[name]
    source = tmp_path / name
    make(source)
    out = tmp_path / "scores.csv"
    assert main(["score", str(source), "--text-column", "comment", "--output", str(out), "--quiet"]) == 0

    read, accepted, rejected, duplicates = accounting_numbers(capsys.readouterr().out)
    assert read == accepted + rejected + duplicates == len(TEXTS) + len(broken_lines)
    scored = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False, dtype=str)
    assert len(scored) == accepted == len(TEXTS)
    assert scored["id"].tolist() == [str(i) for i in range(1, len(TEXTS) + 1)]
    # empty and emoji-only texts are kept with a status, never scored as text
    status = dict(zip(scored["id"], scored["status"]))
    assert (status["1"], status["2"], status["3"]) == ("", "empty", "no_chinese")
    assert scored.loc[scored["status"] != "", "sentiment"].eq("").all()
    rejects = pd.read_csv(tmp_path / "scores.rejects.csv", encoding="utf-8-sig")
    assert rejects["line"].tolist() == broken_lines == list(range(3, 3 + rejected))


def test_renamed_text_column_stops_with_expected_and_found_columns(tmp_path, capsys):
    source = tmp_path / "renamed.csv"
    source.write_bytes(csv_bytes("gb18030").replace(b"comment", b"content"))
    code = main(["score", str(source), "--text-column", "comment", "--output", str(tmp_path / "o.csv"), "--quiet"])
    err = capsys.readouterr().err
    assert code != 0
    assert "'comment'" in err and "'content'" in err and "renamed.csv" in err
    assert "Traceback" not in err
    assert not (tmp_path / "o.csv").exists()
