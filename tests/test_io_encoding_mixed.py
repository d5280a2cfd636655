"""Issue 12: the encoding is chosen from the whole file and checked per row.

Every file is built here from its bytes: no committed binaries.
"""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from brandrep.cli import main
from brandrep.io import read_table
from brandrep.io.encoding import SAMPLE_BYTES

# UTF-8 bytes of these decode without error as GB18030, into mojibake (门锁指纹 -> 闂ㄩ攣鎸囩汗)
MOJIBAKE_PRONE = ["门锁指纹识别经常失败", "门锁坏了", "门锁指纹"]
GB_TEXTS = ["售后客服一直不回复", "电池用了两个月就没电", "反锁后打不开门"]


def write_rows(path, rows):
    """``rows``: (text, encoding) pairs; ids 1..n, header in ASCII."""
    with open(path, "wb") as handle:
        handle.write(b"id,text\n")
        for number, (text, encoding) in enumerate(rows, start=1):
            handle.write(f"{number},{text}\n".encode(encoding))
    return path


def test_gb18030_after_a_first_mib_of_ascii_is_read_as_gb18030(tmp_path):
    path = tmp_path / "late.csv"
    with open(path, "wb") as handle:
        handle.write(b"id,text\n")
        number = 0
        while handle.tell() <= SAMPLE_BYTES + 4096:
            number += 1
            handle.write(f"{number},plain ascii row {number}\n".encode())
        ascii_rows = number
        for text in GB_TEXTS * 20:
            number += 1
            handle.write(f"{number},{text}\n".encode("gb18030"))
    result = read_table(path, required=("text",), dedupe=False)
    assert result.encoding == "gb18030"
    assert result.accounting.read == number and result.accounting.rejected == 0
    assert result.frame["text"].tolist()[ascii_rows:] == GB_TEXTS * 20


def test_gb18030_rows_in_a_utf8_file_are_rejected_as_mixed_encodings(tmp_path):
    rows = [(t, "utf-8") for t in MOJIBAKE_PRONE * 10] + [(t, "gb18030") for t in GB_TEXTS * 3]
    result = read_table(write_rows(tmp_path / "mixed.csv", rows), required=("text",), dedupe=False)
    assert result.encoding == "utf-8"
    assert result.accounting.read == len(rows) and result.accounting.accepted == 30
    assert result.frame["text"].tolist() == MOJIBAKE_PRONE * 10
    gb_lines = list(range(32, 32 + 9))  # header is line 1, the GB rows are data rows 31-39
    assert result.rejects["line"].tolist() == gb_lines
    assert result.rejects["reason"].tolist() == [
        f"mixed encodings: line {n} decodes as gb18030 (the file is read as utf-8)" for n in gb_lines]


def test_utf8_rows_in_a_gb18030_file_are_rejected_not_read_as_mojibake(tmp_path):
    rows = [(t, "utf-8") for t in MOJIBAKE_PRONE * 2] + [(t, "gb18030") for t in GB_TEXTS * 10]
    result = read_table(write_rows(tmp_path / "mixed.csv", rows), required=("text",), dedupe=False)
    assert result.encoding == "gb18030"
    assert result.frame["text"].tolist() == GB_TEXTS * 10  # no 闂ㄩ攣 scored
    assert result.rejects["line"].tolist() == list(range(2, 8))
    assert set(result.rejects["reason"].str.replace(r"line \d+", "line N", regex=True)) == {
        "mixed encodings: line N decodes as utf-8 (the file is read as gb18030)"}


def test_mixed_jsonl_rows_are_rejected_by_line(tmp_path):
    path = tmp_path / "mixed.jsonl"
    lines = [f'{{"text": "{t}"}}\n'.encode() for t in MOJIBAKE_PRONE * 3]
    lines += [f'{{"text": "{t}"}}\n'.encode("gb18030") for t in GB_TEXTS]
    path.write_bytes(b"".join(lines))
    result = read_table(path, required=("text",), dedupe=False)
    assert result.encoding == "utf-8"
    assert result.frame["text"].tolist() == MOJIBAKE_PRONE * 3
    assert result.rejects["line"].tolist() == [10, 11, 12]
    assert result.rejects["reason"].str.startswith("mixed encodings: line ").all()


def test_three_row_file_with_one_bad_byte_rejects_that_row_only(tmp_path):
    path = tmp_path / "three.csv"
    path.write_bytes(b"id,text\n1," + "门".encode() + b"\xff" + "锁坏了".encode() + b"\n2,ok\n3,fine\n")
    result = read_table(path, required=("text",))
    assert result.encoding == "utf-8"
    assert result.frame["text"].tolist() == ["ok", "fine"]
    assert result.rejects["line"].tolist() == [2]
    assert result.rejects["reason"].tolist() == ["undecodable bytes: not valid utf-8"]
    assert result.rejects["raw"].tolist() == ["1,门\\xff锁坏了"]


def test_score_and_check_print_the_encoding(tmp_path, capsys):
    rows = [(t, "gb18030") for t in GB_TEXTS]
    path = write_rows(tmp_path / "gb.csv", rows)
    assert main(["score", str(path), "--text-column", "text", "--output", str(tmp_path / "out.csv"),
                 "--quiet"]) == 0
    assert "encoding gb18030" in capsys.readouterr().out


CHINESE = list("门锁坏了售后客服一直不回复电池用两个月就没反打开安装师傅迟上网关把手松动质量太差申请退款被拒绝好推荐人脸识别很快物流专业")


@st.composite
def utf8_file_with_gb18030_rows(draw):
    texts = draw(st.lists(st.text(alphabet=st.sampled_from(CHINESE), min_size=3, max_size=12),
                          min_size=3, max_size=25))
    foreign = draw(st.sets(st.integers(0, len(texts) - 1), min_size=1, max_size=(len(texts) - 1) // 2))
    return texts, sorted(foreign)


@settings(max_examples=60, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=utf8_file_with_gb18030_rows())
def test_gb18030_rows_anywhere_in_a_utf8_file_are_rejected_and_the_rest_read_exactly(tmp_path, case):
    texts, foreign = case
    for i in foreign:  # bytes valid in both encodings cannot be told apart: not this property
        assume(not _valid_utf8(texts[i].encode("gb18030")))
    rows = [(t, "gb18030" if i in foreign else "utf-8") for i, t in enumerate(texts)]
    result = read_table(write_rows(tmp_path / "mixed.csv", rows), required=("text",), dedupe=False)
    assert result.encoding == "utf-8"
    assert result.accounting.read == len(texts)
    assert result.frame["text"].tolist() == [t for i, t in enumerate(texts) if i not in foreign]
    assert result.rejects["line"].tolist() == [i + 2 for i in foreign]
    assert result.rejects["reason"].tolist() == [
        f"mixed encodings: line {i + 2} decodes as gb18030 (the file is read as utf-8)" for i in foreign]


def _valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False
