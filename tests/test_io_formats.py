"""Issue 12: Parquet binary columns and pretty-printed JSON, built at run time."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from brandrep.cli import main
from brandrep.io import read_table


def test_parquet_binary_column_is_decoded_or_rejected(tmp_path):
    path = tmp_path / "bytes.parquet"
    texts = ["门锁坏了".encode(), b"\xe9\x97", None, "很好".encode()]
    pq.write_table(pa.table({"id": [1, 2, 3, 4], "text": pa.array(texts, pa.binary())}), path)
    result = read_table(path, required=("text",))
    assert result.frame["text"].tolist()[::2] == ["门锁坏了", "很好"] and pd.isna(result.frame["text"].iloc[1])
    assert result.frame["_line"].tolist() == [1, 3, 4]
    assert result.rejects[["line", "column", "reason", "raw"]].values.tolist() == [
        [2, "text", "undecodable bytes: binary column 'text' is not UTF-8 text", "\\xe9\\x97"]]
    assert "binary column 'text' decoded as UTF-8 text" in result.repairs
    out = tmp_path / "out.csv"
    assert main(["score", str(path), "--text-column", "text", "--output", str(out), "--quiet"]) == 0
    scored = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert scored["text"].tolist() == ["门锁坏了", "", "很好"]
    assert not scored["text"].str.startswith("b'").any()


def pretty(records) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, indent=2) + "\n" for r in records)


def test_pretty_printed_json_objects_are_counted_by_records(tmp_path):
    records = [{"id": i, "text": t, "meta": {"stars": i}} for i, t in enumerate(["门锁坏了", "很好", "差评"], 1)]
    path = tmp_path / "pretty.json"
    path.write_text(pretty(records), encoding="utf-8")
    result = read_table(path, required=("text",))
    assert result.format == "json"
    assert result.accounting.read == 3 and result.accounting.accepted == 3
    assert result.frame["text"].tolist() == ["门锁坏了", "很好", "差评"]
    assert result.frame["id"].tolist() == ["1", "2", "3"]
    assert result.frame["_line"].tolist() == [1, 8, 15]  # the line each object starts on


def test_a_broken_pretty_printed_object_costs_that_record_only(tmp_path):
    text = pretty([{"text": "门锁坏了"}]) + '{\n  "text": "很好\n}\n' + pretty([{"text": "差评"}]) + "[1]\n"
    path = tmp_path / "broken.json"
    path.write_text(text, encoding="utf-8")
    result = read_table(path, required=("text",))
    assert result.accounting.read == 4
    assert result.frame["text"].tolist() == ["门锁坏了", "差评"]
    assert result.rejects["line"].tolist() == [4, 10]
    assert result.rejects["reason"].iloc[0].startswith("invalid JSON: Invalid control character")
    assert result.rejects["reason"].iloc[1] == "not a JSON object: a JSON list"


def test_json_lines_with_a_broken_first_line_stay_json_lines(tmp_path):
    path = tmp_path / "lines.jsonl"
    path.write_text('{"text": "门锁\n{"text": "很好"}\n{"text": "差评"}\n', encoding="utf-8")
    result = read_table(path, required=("text",))
    assert result.format == "jsonl"
    assert result.frame["text"].tolist() == ["很好", "差评"] and result.rejects["line"].tolist() == [1]


def test_jsonl_columns_do_not_depend_on_the_chunk_size(tmp_path):
    path = tmp_path / "late_key.jsonl"
    path.write_text('{"id": 1, "text": "门锁坏了"}\n{"id": 2, "text": "很好"}\n'
                    '{"id": 3, "text": "差评", "extra": "x"}\n', encoding="utf-8")
    outputs = []
    for chunk_size in (1, 2, 10):
        out = tmp_path / f"out{chunk_size}.csv"
        assert main(["score", str(path), "--text-column", "text", "--output", str(out),
                     "--chunk-size", str(chunk_size), "--quiet"]) == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0].decode("utf-8-sig").startswith("id,text,extra,sentiment,")
