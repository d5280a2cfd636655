"""Resumable chunked outputs: a run killed half-way resumes and ends byte-identical."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pandas as pd
import pytest

from brandrep.io import Accounting
from brandrep.io.checkpoint import CheckpointMismatch, ChunkCheckpoint, file_fingerprint

# A stand-in for `brandrep score`: cleans each chunk's text and "scores" it by length. With
# KILL_AT=k it SIGKILLs itself while chunk k is half-written (data part on disk, no marker).
JOB = textwrap.dedent(
    """
    import os, signal, sys
    from brandrep.io import clean_text, iter_table_chunks
    from brandrep.io.checkpoint import ChunkCheckpoint, file_fingerprint

    source, output, kill_at = sys.argv[1], sys.argv[2], int(os.environ.get("KILL_AT", "-1"))
    checkpoint = ChunkCheckpoint(output, fingerprint={"input": file_fingerprint(source), "chunk_size": 7})
    for chunk in iter_table_chunks(source, required=("text",), chunk_size=7):
        if checkpoint.is_done(chunk.chunk):
            continue
        frame = chunk.frame.copy()
        cleaned = [clean_text(t) for t in frame["text"]]
        frame["text_clean"] = [c.text for c in cleaned]
        frame["status"] = [c.status for c in cleaned]
        frame["score"] = [len(c.text) / 10 for c in cleaned]
        if chunk.chunk == kill_at:
            frame.to_parquet(checkpoint._data(chunk.chunk))  # data written, marker not yet
            os.kill(os.getpid(), signal.SIGKILL)
        checkpoint.write_chunk(chunk.chunk, frame, rejects=chunk.rejects, accounting=chunk.accounting)
    print(checkpoint.assemble().line())
    """
)


def make_input(path):
    rows = ["id,text"]
    for i in range(40):
        text = ["门锁坏了", "<p>售后&amp;客服</p>", "", "😡", "門鎖"][i % 5] + str(i % 9)
        rows.append(f"{i},{text}" if i % 13 else f"{i},{text},extra")  # some junk rows
    rows.append(rows[5])  # an exact duplicate
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def run_job(tmp_path, source, output, kill_at=None):
    script = tmp_path / "job.py"
    script.write_text(JOB, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    if kill_at is not None:
        env["KILL_AT"] = str(kill_at)
    return subprocess.run([sys.executable, str(script), str(source), str(output)], env=env,
                          capture_output=True, text=True)


def outputs(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_killed_run_resumes_to_identical_output(tmp_path):
    source = tmp_path / "in.csv"
    make_input(source)
    (tmp_path / "straight").mkdir()
    (tmp_path / "killed").mkdir()

    straight = run_job(tmp_path, source, tmp_path / "straight" / "scores.parquet")
    assert straight.returncode == 0, straight.stderr

    killed = run_job(tmp_path, source, tmp_path / "killed" / "scores.parquet", kill_at=3)
    assert killed.returncode == -signal.SIGKILL
    parts = tmp_path / "killed" / "scores.parquet.parts"
    assert sorted(p.name for p in parts.glob("*.json")) == ["00000.json", "00001.json", "00002.json", "manifest.json"]
    assert (parts / "00003.parquet").exists()  # half-written chunk, no marker: will be redone
    assert not (tmp_path / "killed" / "scores.parquet").exists()

    resumed = run_job(tmp_path, source, tmp_path / "killed" / "scores.parquet")
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stdout == straight.stdout
    assert not parts.exists()
    assert outputs(tmp_path / "killed") == outputs(tmp_path / "straight")
    names = set(outputs(tmp_path / "straight"))
    assert names == {"scores.parquet", "scores.csv", "scores.rejects.csv", "scores.accounting.json"}

    frame = pd.read_parquet(tmp_path / "straight" / "scores.parquet")
    rejects = pd.read_csv(tmp_path / "straight" / "scores.rejects.csv", encoding="utf-8-sig")
    assert straight.stdout.strip() == (
        f"rows read 41 = accepted {len(frame)} + rejected {len(rejects) - 1} + duplicates 1"
    )
    assert (rejects["reason"] == "duplicate of line 6").sum() == 1
    assert frame["_line"].is_monotonic_increasing
    assert set(frame["status"]) == {"", "no_chinese"}


def test_parts_of_another_run_are_not_mixed_in(tmp_path):
    out = tmp_path / "o.parquet"
    first = ChunkCheckpoint(out, fingerprint={"input": "abc", "chunk_size": 7})
    first.write_chunk(0, pd.DataFrame({"x": [1]}))
    with pytest.raises(CheckpointMismatch, match="chunk_size"):
        ChunkCheckpoint(out, fingerprint={"input": "abc", "chunk_size": 8})
    again = ChunkCheckpoint(out, fingerprint={"input": "abc", "chunk_size": 8}, restart=True)
    assert again.done() == set()


def test_assemble_refuses_missing_chunks_and_unifies_types(tmp_path):
    out = tmp_path / "o.parquet"
    checkpoint = ChunkCheckpoint(out, fingerprint={"k": 1})
    checkpoint.write_chunk(0, pd.DataFrame({"text": ["a"], "n": [1]}))
    checkpoint.write_chunk(2, pd.DataFrame({"text": [None], "n": [3]}))
    with pytest.raises(Exception, match=r"chunks \[1\]"):
        checkpoint.assemble()
    checkpoint.write_chunk(1, pd.DataFrame({"text": pd.Series([], dtype=object), "n": pd.Series([], dtype="int64")}),
                           accounting=Accounting(read=2, rejected=2))
    total = checkpoint.assemble()
    assert total == Accounting(read=4, accepted=2, rejected=2)
    back = pd.read_parquet(out)
    assert back["n"].tolist() == [1, 3]
    assert (tmp_path / "o.csv").read_bytes() == "\ufefftext,n\na,1\n,3\n".encode()


def test_fingerprint_changes_with_content(tmp_path):
    a = tmp_path / "a.csv"
    a.write_bytes(b"text\nx\n")
    before = file_fingerprint(a)
    a.write_bytes(b"text\ny\n")
    assert file_fingerprint(a) != before


def test_stale_temporary_files_are_removed(tmp_path):
    out = tmp_path / "o.parquet"
    ChunkCheckpoint(out, fingerprint={"k": 1})
    stale = tmp_path / "o.parquet.parts" / ".00000.parquet.abc.part"
    stale.write_bytes(b"half")
    ChunkCheckpoint(out, fingerprint={"k": 1})
    assert not stale.exists()


CHUNKS_SAME_TYPES = [pd.DataFrame({"text": ["门锁", "=1+1"], "n": [1, 2], "x": [0.5, float("nan")]}),
                     pd.DataFrame({"text": ["售后"], "n": [3], "x": [1 / 3]})]
# the second chunk's text column is all missing, so its part types it null
CHUNKS_OTHER_TYPES = [CHUNKS_SAME_TYPES[0], pd.DataFrame({"text": [None], "n": [3], "x": [1 / 3]})]


@pytest.mark.parametrize("chunks", [CHUNKS_SAME_TYPES, CHUNKS_OTHER_TYPES], ids=["same types", "a null column"])
def test_tables_written_as_chunks_finish_are_the_tables_assembled_at_the_end(tmp_path, chunks):
    """Issue 17: streaming the parts into the outputs while the run goes on writes the bytes that
    assembling them at the end writes; a part with other column types falls back to that."""
    from brandrep.io.checkpoint import StreamedTables

    for streaming in (True, False):
        out = tmp_path / ("streamed" if streaming else "at_end") / "o.parquet"
        out.parent.mkdir()
        checkpoint = ChunkCheckpoint(out, fingerprint={"k": 1})
        with StreamedTables(checkpoint) as streamed:
            for number, frame in enumerate(chunks):
                checkpoint.write_chunk(number, frame)
                if streaming:
                    streamed.add(number)
            holds = streamed.holds(len(chunks))
            checkpoint.assemble(expected_chunks=len(chunks), streamed=streamed)
        if streaming:
            assert holds == (chunks is CHUNKS_SAME_TYPES)
    assert outputs(tmp_path / "streamed") == outputs(tmp_path / "at_end")
    assert not list(tmp_path.rglob("*.part"))  # no temporary file left behind


def test_tables_streamed_by_a_failed_run_are_never_put_in_place(tmp_path):
    from brandrep.io.checkpoint import StreamedTables

    out = tmp_path / "o.parquet"
    checkpoint = ChunkCheckpoint(out, fingerprint={"k": 1})
    with pytest.raises(KeyboardInterrupt):
        with StreamedTables(checkpoint) as streamed:
            checkpoint.write_chunk(0, CHUNKS_SAME_TYPES[0])
            streamed.add(0)
            raise KeyboardInterrupt
    assert not out.exists() and not (tmp_path / "o.csv").exists()
    assert not list(tmp_path.glob(".*.part"))
