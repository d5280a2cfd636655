"""`brandrep score`: every row kept in order with its columns, clear errors, same output with any
number of workers, on Dask, and after being killed and resumed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import brandrep.io

if not hasattr(brandrep.io, "iter_table_chunks"):  # the reading API lands with issue 7
    pytest.skip("brandrep.io reading API not merged yet", allow_module_level=True)

from brandrep.cli import main  # noqa: E402
from brandrep.io import clean_text  # noqa: E402
from brandrep.paths import RAW_DIR  # noqa: E402
from brandrep.sentiment import score_texts  # noqa: E402
from brandrep.sentiment.scoring import score_dask, score_frame  # noqa: E402

SRC = Path(brandrep.__file__).resolve().parents[1]

ROWS = [
    ("a1", "小米", "门锁指纹经常识别不了，找售后也没人管"),
    ("a2", "德施曼", ""),
    ("a3", "凯迪仕", "hello world 123"),
    ("a4", "鹿客", "<p>安装师傅很专业&amp;很快</p>"),
    ("a5", "萤石", "這個門鎖質量太差了"),
    ("a6", "美的", "   \t "),
    ("a7", "海尔", "😀😀"),
    ("a8", "小米", "门锁指纹经常识别不了，找售后也没人管"),
    ("a9", "米家", "ＡＰＰ连不上，电池也耗电太快"),
]


def write_csv(path: Path, rows=ROWS, encoding="utf-8") -> Path:
    pd.DataFrame(rows, columns=["id", "brand", "comment"]).to_csv(path, index=False, encoding=encoding)
    return path


def read_output(path: Path) -> pd.DataFrame:
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    return pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, dtype=str)


def complaint_texts(n: int, seed: int = 0) -> list[str]:
    """n mostly distinct complaint-like texts built from the labelled sample."""
    base = pd.read_csv(RAW_DIR / "labelled_complaints.csv", keep_default_na=False)["text"].tolist()
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(base), size=(n, 3))
    return ["，".join(base[k] for k in row) for row in picks]


def test_output_keeps_every_row_in_order_with_scores_status_and_topics(tmp_path, capsys):
    source = write_csv(tmp_path / "in.csv")
    out = tmp_path / "out.csv"
    assert main(["score", str(source), "--text-column", "comment", "--id-column", "id",
                 "--output", str(out), "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "rows read 9 = accepted 9 + rejected 0 + duplicates 0; rows written 9" in printed
    result = read_output(out)
    assert list(result.columns) == ["id", "brand", "comment", "sentiment", "sentiment_probability", "status", "topics"]
    assert result["id"].tolist() == [r[0] for r in ROWS]
    assert result["comment"].tolist() == [r[2] for r in ROWS]  # the original text, untouched
    assert result["status"].tolist() == ["", "empty", "no_chinese", "", "", "empty", "no_chinese", "", ""]
    scored = result["status"] == ""
    expected = score_texts([r[2] for r, ok in zip(ROWS, scored) if ok])  # the text as read
    assert np.array_equal(result.loc[scored, "sentiment"].astype(float).to_numpy(), expected)
    assert (result.loc[~scored, "sentiment"] == "").all()  # not scored: no number
    assert result.loc[0, "topics"] == "after_sales;fingerprint_face"
    assert result.loc[8, "topics"] == "app_connectivity;battery_power"
    assert (tmp_path / "out.rejects.csv").read_text(encoding="utf-8-sig").startswith("file,line,column,reason,raw")
    assert not (tmp_path / "out.csv.parts").exists()  # checkpoints removed after success
    assert json.loads((tmp_path / "out.accounting.json").read_text(encoding="utf-8"))["read"] == 9


def test_fast_engine_and_snownlp_give_the_same_output(tmp_path):
    source = write_csv(tmp_path / "in.csv")
    for engine in ("fast", "snownlp"):
        main(["score", str(source), "--text-column", "comment", "--output", str(tmp_path / f"{engine}.csv"),
              "--engine", engine, "--quiet"])
    assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "snownlp.csv").read_bytes()


def test_gb18030_input_scores_like_utf8(tmp_path):
    main(["score", str(write_csv(tmp_path / "u.csv")), "--text-column", "comment",
          "--output", str(tmp_path / "u.parquet"), "--quiet"])
    main(["score", str(write_csv(tmp_path / "g.csv", encoding="gb18030")), "--text-column", "comment",
          "--output", str(tmp_path / "g.parquet"), "--quiet"])
    pd.testing.assert_frame_equal(read_output(tmp_path / "u.parquet"), read_output(tmp_path / "g.parquet"))


def test_to_simplified_scores_traditional_text_as_simplified(tmp_path):
    rows = [("t1", "x", "這個門鎖質量太差了"), ("s1", "x", "这个门锁质量太差了")]
    source = write_csv(tmp_path / "in.csv", rows)
    main(["score", str(source), "--text-column", "comment", "--output", str(tmp_path / "o.csv"),
          "--to-simplified", "--quiet"])
    result = read_output(tmp_path / "o.csv")
    assert result.loc[0, "sentiment"] == result.loc[1, "sentiment"]
    assert result.loc[0, "comment"] == "這個門鎖質量太差了"  # the input column is not rewritten


def test_missing_text_column_names_the_columns_that_exist(tmp_path, capsys):
    source = write_csv(tmp_path / "in.csv")
    code = main(["score", str(source), "--text-column", "text", "--output", str(tmp_path / "o.csv"), "--quiet"])
    err = capsys.readouterr().err
    assert code != 0
    assert "in.csv" in err and "text" in err and "comment" in err and "Traceback" not in err
    assert not (tmp_path / "o.csv").exists() and not (tmp_path / "o.csv.parts").exists()


def test_missing_input_file_is_one_clear_message(tmp_path, capsys):
    code = main(["score", str(tmp_path / "nope.csv"), "--text-column", "text", "--output", str(tmp_path / "o.csv")])
    err = capsys.readouterr().err
    assert code != 0 and "nope.csv" in err and "not found" in err and "Traceback" not in err


def test_broken_jsonl_line_is_rejected_and_counted(tmp_path, capsys):
    lines = [json.dumps({"id": i, "text": t}, ensure_ascii=False) for i, t in enumerate(["门锁坏了", "售后很好"])]
    lines.insert(1, '{"id": 9, "text": "未闭合')
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["score", str(source), "--text-column", "text", "--output", str(tmp_path / "o.csv"), "--quiet"]) == 0
    assert "rows read 3 = accepted 2 + rejected 1 + duplicates 0; rows written 2" in capsys.readouterr().out
    rejects = pd.read_csv(tmp_path / "o.rejects.csv", encoding="utf-8-sig")
    assert rejects["line"].tolist() == [2]
    assert read_output(tmp_path / "o.csv")["text"].tolist() == ["门锁坏了", "售后很好"]


def test_an_input_column_named_topics_is_kept_not_overwritten(tmp_path):
    source = tmp_path / "in.csv"
    pd.DataFrame({"text": ["电池没电了"], "topics": ["hand label"]}).to_csv(source, index=False)
    main(["score", str(source), "--text-column", "text", "--output", str(tmp_path / "o.csv"), "--quiet"])
    result = read_output(tmp_path / "o.csv")
    assert result.loc[0, "topics_input"] == "hand label" and result.loc[0, "topics"] == "battery_power"


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_two_workers_write_exactly_what_one_writes(tmp_path, suffix):
    source = tmp_path / "in.csv"
    pd.DataFrame({"id": range(3000), "text": complaint_texts(3000)}).to_csv(source, index=False)
    for workers in (1, 2):
        main(["score", str(source), "--text-column", "text", "--output", str(tmp_path / f"w{workers}{suffix}"),
              "--workers", str(workers), "--chunk-size", "400", "--quiet"])
    assert (tmp_path / f"w1{suffix}").read_bytes() == (tmp_path / f"w2{suffix}").read_bytes()
    assert read_output(tmp_path / f"w1{suffix}")["id"].astype(int).tolist() == list(range(3000))


def test_dask_local_cluster_gives_the_single_process_scores():
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    frame = pd.DataFrame({"id": range(400), "text": complaint_texts(400, seed=3)})
    frame.loc[7, "text"] = ""
    expected = score_frame(frame, "text")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster):
        result = score_dask(dd.from_pandas(frame, npartitions=4), "text").compute()
    # dask may store strings with another dtype; the values must be identical
    assert result["id"].tolist() == expected["id"].tolist()
    assert np.array_equal(result["sentiment"].to_numpy(float), expected["sentiment"].to_numpy(float), equal_nan=True)
    for column in ("text", "status", "topics"):
        assert result[column].astype(object).tolist() == expected[column].astype(object).tolist()


def test_killed_run_resumes_without_rescoring_and_matches_an_uninterrupted_run(tmp_path):
    source = tmp_path / "in.csv"
    pd.DataFrame({"id": range(12000), "text": complaint_texts(12000, seed=5)}).to_csv(source, index=False)
    env = {**os.environ, "PYTHONPATH": str(SRC)}

    def command(out):
        return [sys.executable, "-m", "brandrep.cli", "score", str(source), "--text-column", "text",
                "--output", str(out), "--chunk-size", "500", "--quiet"]

    reference = tmp_path / "uninterrupted.csv"
    subprocess.run(command(reference), env=env, check=True, capture_output=True)

    out = tmp_path / "resumed.csv"
    parts = tmp_path / "resumed.csv.parts"
    proc = subprocess.Popen(command(out), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(list(parts.glob("[0-9]*.json"))) < 3:  # a chunk is done when its marker is written
        assert proc.poll() is None, "the run finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not out.exists()  # nothing half-written where the output belongs
    done_before = len(list(parts.glob("[0-9]*.json")))
    assert 3 <= done_before < 24

    finished = subprocess.run(command(out), env=env, check=True, capture_output=True, text=True)
    assert f"resumed: {done_before} of 24 chunks were already scored" in finished.stderr
    assert out.read_bytes() == reference.read_bytes()


def test_undecodable_row_is_rejected_with_its_line_and_the_rest_scored(tmp_path, capsys):
    source = tmp_path / "in.csv"
    good = "".join(f"{i},门锁坏了，售后电话一直打不通，第{i}次投诉\n" for i in range(1, 40))
    source.write_bytes(("id,text\n" + good).encode() + b"40,\xff\xfe\xfa\xfb\n" + "41,售后很好\n".encode())
    assert main(["score", str(source), "--text-column", "text", "--output", str(tmp_path / "o.csv"), "--quiet"]) == 0
    assert "rows read 41 = accepted 40 + rejected 1" in capsys.readouterr().out
    rejects = pd.read_csv(tmp_path / "o.rejects.csv", encoding="utf-8-sig")
    assert rejects["line"].tolist() == [41] and "undecodable" in rejects["reason"].item()
    assert read_output(tmp_path / "o.csv")["id"].tolist()[-2:] == ["39", "41"]


def test_parquet_input_keeps_its_types(tmp_path):
    source = tmp_path / "in.parquet"
    pd.DataFrame({"n": [1, 2], "text": ["门锁坏了", None]}).to_parquet(source, index=False)
    main(["score", str(source), "--text-column", "text", "--output", str(tmp_path / "o.parquet"), "--quiet"])
    result = read_output(tmp_path / "o.parquet")
    assert result["n"].tolist() == [1, 2] and result["status"].tolist() == ["", "empty"]


def test_resuming_with_other_settings_is_refused(tmp_path, capsys):
    source = write_csv(tmp_path / "in.csv")
    parts = tmp_path / "o.csv.parts"
    # leave an unfinished run behind: a checkpoint folder made with --engine fast
    from brandrep.io.checkpoint import ChunkCheckpoint, file_fingerprint

    ChunkCheckpoint(tmp_path / "o.csv", formats=("csv",), fingerprint={"input": file_fingerprint(source)})
    assert parts.exists()
    code = main(["score", str(source), "--text-column", "comment", "--output", str(tmp_path / "o.csv"), "--quiet"])
    assert code != 0 and "o.csv.parts" in capsys.readouterr().err
    assert not (tmp_path / "o.csv").exists()


# full-width digits and letters, full-width full stop, emoticon macron, entities, doubled spaces, tabs
AWKWARD = ["评分１…３．６分，差评", "ＡＰＰ连不上ＷＩＦＩ，电池１２小时就没电", "还行吧￣▽￣，凑合用",
           "安装师傅很专业&amp;很快&nbsp;&lt;br&gt;赞", "门锁  坏了\t\t售后   不理", "<p>質量太差了</p>\u3000！"]


@pytest.mark.parametrize("engine", ["fast", "snownlp"])
def test_default_scores_are_snownlp_on_the_text_exactly_as_read(tmp_path, engine):
    from snownlp import SnowNLP

    source = tmp_path / "in.csv"
    pd.DataFrame({"text": AWKWARD}).to_csv(source, index=False)
    main(["score", str(source), "--text-column", "text", "--output", str(tmp_path / "o.parquet"),
          "--engine", engine, "--quiet"])
    result = read_output(tmp_path / "o.parquet")
    assert "text_clean" not in result.columns
    assert result["text"].tolist() == AWKWARD
    assert result["sentiment"].tolist() == [SnowNLP(t).sentiments for t in AWKWARD]


def test_clean_steps_score_the_written_text_clean(tmp_path):
    from snownlp import SnowNLP

    source = tmp_path / "in.csv"
    pd.DataFrame({"text": AWKWARD}).to_csv(source, index=False)
    main(["score", str(source), "--text-column", "text", "--output", str(tmp_path / "o.parquet"),
          "--clean", "markup,width,whitespace,simplified", "--quiet"])
    result = read_output(tmp_path / "o.parquet")
    assert result["text"].tolist() == AWKWARD
    assert result["text_clean"].tolist()[4] == "门锁 坏了 售后 不理"
    assert result["text_clean"].tolist()[5] == "质量太差了 ！"
    assert result["sentiment"].tolist() == [SnowNLP(t).sentiments for t in result["text_clean"]]
    assert (result["text_clean"] != result["text"]).sum() >= 4  # the steps did change the texts


def test_unknown_clean_step_is_refused_with_the_choices(tmp_path, capsys):
    source = write_csv(tmp_path / "in.csv")
    code = main(["score", str(source), "--text-column", "comment", "--output", str(tmp_path / "o.csv"),
                 "--clean", "markup,emoji", "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "emoji" in err and "simplified" in err and "Traceback" not in err


def test_parts_written_by_other_brandrep_code_are_not_resumed(tmp_path, monkeypatch):
    # a crashed run's parts came from the brandrep of that day; after an upgrade they must not be
    # assembled into this version's output (issue 12: a crashing part kept coming back)
    import brandrep.io.checkpoint as checkpoint
    from brandrep.sentiment.scoring import score_file

    source = tmp_path / "in.csv"
    pd.DataFrame({"id": range(30), "text": complaint_texts(30, seed=3)}).to_csv(source, index=False)
    out = tmp_path / "o.parquet"

    def crash(self, **_):
        raise RuntimeError("killed before assembly")

    with monkeypatch.context() as patch:
        patch.setattr(checkpoint.ChunkCheckpoint, "assemble", crash)
        with pytest.raises(RuntimeError, match="killed before assembly"):
            score_file(source, out, text_column="text", chunk_size=10, progress=False)
    assert (tmp_path / "o.parquet.parts" / "manifest.json").is_file()

    monkeypatch.setattr(checkpoint, "code_fingerprint", lambda: "another version of brandrep")
    with pytest.raises(checkpoint.CheckpointMismatch, match="another version of brandrep"):
        score_file(source, out, text_column="text", chunk_size=10, progress=False)


def test_score_imports_neither_the_cleaning_rules_nor_the_trained_model(tmp_path):
    # start-up is serial before any row is read (issue 17): score without --model needs neither
    # pandera (behind brandrep.cleaning, for the check command) nor scikit-learn (for --model)
    source = write_csv(tmp_path / "in.csv", ROWS[:1])
    code = ("import sys; from brandrep.cli import main; "
            f"rc = main(['score', {str(source)!r}, '--text-column', 'comment', '--quiet', "
            f"'--output', {str(tmp_path / 'o.parquet')!r}]); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pandera', 'sklearn') "
            "or m.startswith(('brandrep.cleaning', 'brandrep.sentiment.trained')))); sys.exit(rc)")
    done = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(SRC)},
                          capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "[]"


def test_rows_without_a_usable_text_for_scoring_or_tagging_get_nan_or_no_topics():
    # score_column looks scores and topics up by string (issue 17): a text scored as given but
    # empty once cleaned for tagging keeps its score and has no topics; a row that cannot be
    # scored has neither, whatever its cleaned string
    texts = ["<script>门锁坏了</script>", "门锁坏了", "abc", None, "", "门锁坏了"]
    out = score_frame(pd.DataFrame({"text": texts}), "text")
    assert out["status"].tolist() == ["", "", "no_chinese", "empty", "empty", ""]
    assert out["sentiment"].tolist()[:2] == score_texts(texts[:2]).tolist()
    assert out["sentiment"].isna().tolist() == [False, False, True, True, True, False]
    assert out["topics"].tolist()[0] == "" and out["topics"].tolist()[1] == out["topics"].tolist()[5] != ""
    assert out["topics"].tolist()[2:5] == ["", "", ""]
