"""brandrep writes only what it was asked to write: never an input, never a file it did not make (issue 11)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brandrep.cli import main
from brandrep.io.outputs import plan_outputs

INPUT = "id,text\n1,门锁坏了\n2,售后很好\n".encode()


def score(source, output) -> int:
    return main(["score", str(source), "--text-column", "text", "--output", str(output), "--quiet"])


def snapshot(folder: Path) -> dict:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_plan_keeps_dots_in_the_stem_and_csv_apart_from_parquet():
    plan = plan_outputs("out/scores.v2.csv")
    assert plan.rejects == Path("out/scores.v2.rejects.csv")
    assert plan.accounting == Path("out/scores.v2.accounting.json")
    assert plan.parts == Path("out/scores.v2.csv.parts")
    assert plan_outputs("x.parquet").parts != plan_outputs("x.csv").parts
    assert plan_outputs("x.parquet").lock != plan_outputs("x.csv").lock


@pytest.mark.parametrize("output", ["in.scored.csv", "in.CSV", "in.csv.csv", "in.rejects.csv"])
def test_dotted_output_names_never_replace_the_input(tmp_path, output):
    source = tmp_path / "in.csv"
    source.write_bytes(INPUT)
    code = score(source, tmp_path / output)
    assert source.read_bytes() == INPUT
    if output != "in.CSV" or code == 0:
        assert code == 0 and (tmp_path / output).exists()


def test_parquet_dotted_output_does_not_replace_parquet_input(tmp_path):
    import pandas as pd

    source = tmp_path / "in.parquet"
    pd.DataFrame({"text": ["门锁坏了"]}).to_parquet(source, index=False)
    before = source.read_bytes()
    assert score(source, tmp_path / "in.x.parquet") == 0
    assert source.read_bytes() == before and (tmp_path / "in.x.parquet").exists()


def test_jsonl_input_output_does_not_replace_unrelated_csv_beside(tmp_path):
    (tmp_path / "in.jsonl").write_text('{"text": "门锁坏了"}\n', encoding="utf-8")
    (tmp_path / "in.csv").write_bytes(b"unrelated")
    assert score(tmp_path / "in.jsonl", tmp_path / "in.out.csv") == 0
    assert (tmp_path / "in.csv").read_bytes() == b"unrelated"


def test_two_dated_outputs_are_both_kept(tmp_path):
    source = tmp_path / "c.csv"
    source.write_bytes(INPUT)
    assert score(source, tmp_path / "c.2024.csv") == 0
    assert score(source, tmp_path / "c.2025.csv") == 0
    assert (tmp_path / "c.2024.csv").exists() and (tmp_path / "c.2025.csv").exists()
    assert source.read_bytes() == INPUT


def test_parquet_output_of_csv_input_is_written_where_asked(tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes(INPUT)
    assert score(source, tmp_path / "in.v2.parquet") == 0
    assert (tmp_path / "in.v2.parquet").exists() and not (tmp_path / "in.parquet").exists()


@pytest.mark.parametrize("name", ["s.rejects.csv", "s.accounting.json"])
def test_input_named_like_a_side_file_is_refused(tmp_path, capsys, name):
    source = tmp_path / name
    source.write_bytes(INPUT)
    assert score(source, tmp_path / "s.csv") == 2
    assert str(source) in capsys.readouterr().err
    assert source.read_bytes() == INPUT and not (tmp_path / "s.csv").exists()


def test_output_equal_to_input_or_a_link_to_it_is_refused(tmp_path, capsys):
    source = tmp_path / "in.csv"
    source.write_bytes(INPUT)
    assert score(source, source) == 2
    os.link(source, tmp_path / "hard.csv")
    os.symlink(source, tmp_path / "soft.csv")
    assert score(source, tmp_path / "hard.csv") == 2
    assert score(source, tmp_path / "soft.csv") == 2
    assert source.read_bytes() == INPUT


def test_existing_parts_folder_without_manifest_is_neither_deleted_nor_resumed(tmp_path, capsys):
    source = tmp_path / "in.csv"
    source.write_bytes(INPUT)
    parts = tmp_path / "scored.csv.parts"
    parts.mkdir()
    (parts / "mine.txt").write_bytes(b"keep")
    assert score(source, tmp_path / "scored.csv") == 2
    assert "scored.csv.parts" in capsys.readouterr().err
    assert (parts / "mine.txt").read_bytes() == b"keep"


def test_input_inside_the_parts_folder_is_refused(tmp_path):
    parts = tmp_path / "scored.csv.parts"
    parts.mkdir()
    source = parts / "in.csv"
    source.write_bytes(INPUT)
    assert score(source, tmp_path / "scored.csv") == 2
    assert source.read_bytes() == INPUT


def test_csv_and_parquet_outputs_do_not_share_side_files(tmp_path, capsys):
    source = tmp_path / "in.csv"
    source.write_bytes(INPUT)
    assert score(source, tmp_path / "x.csv") == 0
    before = snapshot(tmp_path)
    # x.parquet's rejects/accounting names coincide with x.csv's: refused, x.csv's files kept
    assert score(source, tmp_path / "x.parquet") == 2
    assert "belongs to output x.csv" in capsys.readouterr().err
    assert snapshot(tmp_path) == before


def test_side_file_brandrep_did_not_write_is_not_replaced(tmp_path, capsys):
    source = tmp_path / "in.csv"
    source.write_bytes(INPUT)
    (tmp_path / "out.rejects.csv").write_bytes(b"my notes")
    assert score(source, tmp_path / "out.csv") == 2
    assert "out.rejects.csv" in capsys.readouterr().err
    assert (tmp_path / "out.rejects.csv").read_bytes() == b"my notes"


def test_rerun_replaces_its_own_output_and_side_files(tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes(INPUT)
    assert score(source, tmp_path / "out.csv") == 0
    assert score(source, tmp_path / "out.csv") == 0


def test_second_run_on_one_output_names_the_first_runs_pid(tmp_path, capsys):
    import subprocess
    import sys

    source = tmp_path / "in.csv"
    source.write_bytes(INPUT)
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (tmp_path / "out.csv.lock").write_text(f"brandrep pid {holder.pid}\n")
        assert score(source, tmp_path / "out.csv") == 2
        assert f"PID {holder.pid}" in capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()
    # the holder is dead now: its stale lock is taken over
    assert score(source, tmp_path / "out.csv") == 0
    assert not (tmp_path / "out.csv.lock").exists()


def test_os_errors_are_one_message_exit_2(tmp_path, capsys):
    source = tmp_path / "in.csv"
    source.write_bytes(INPUT)
    (tmp_path / "folder.csv").mkdir()
    assert score(source, tmp_path / "folder.csv") == 2
    (tmp_path / "afile").write_bytes(b"x")
    assert score(source, tmp_path / "afile" / "o.csv") == 2
    if os.geteuid() != 0:
        readonly = tmp_path / "ro"
        readonly.mkdir()
        readonly.chmod(0o500)
        try:
            assert score(source, readonly / "o.csv") == 2
        finally:
            readonly.chmod(0o700)
        source.chmod(0o000)
        try:
            assert score(source, tmp_path / "o.csv") == 2
        finally:
            source.chmod(0o600)
    err = capsys.readouterr().err
    assert "Traceback" not in err and "folder.csv" in err and "afile" in err


def test_input_file_named_like_the_parts_folder_is_refused(tmp_path):
    source = tmp_path / "X.csv.parts"
    source.write_bytes(INPUT)
    assert score(source, tmp_path / "X.csv") == 2
    assert source.read_bytes() == INPUT


NAME_PART = st.sampled_from(["in", "in.csv", "in.rejects", "in.accounting", "s p", "评分", "a.b", "IN", "x.v2"])
EXTENSION = st.sampled_from([".csv", ".CSV", ".parquet", ".Parquet", ".csv.csv", ".rejects.csv"])
FOLDER = st.sampled_from(["", "sub", "other/deeper", "ABS"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stem=NAME_PART, extension=EXTENSION, folder=FOLDER)
def test_score_writes_only_its_planned_files(tmp_path_factory, stem, extension, folder):
    root = tmp_path_factory.mktemp("prop")
    source = root / "in.csv"
    source.write_bytes(INPUT)
    (root / "in.rejects.csv").write_bytes(b"user's own")
    (root / "in.accounting.json").write_bytes(b"user's own too")
    if folder == "ABS":
        output = (root / "abs" / (stem + extension)).resolve()
    else:
        output = root / folder / (stem + extension)
        output = Path(os.path.relpath(output))
    before = snapshot(root)
    plan = plan_outputs(output)
    planned = {Path(os.path.abspath(p)) for p in plan.files((output.suffix.lower().lstrip("."),))}
    code = score(source, output)
    assert source.read_bytes() == INPUT
    after = snapshot(root)
    changed = {p for p in set(before) | set(after) if before.get(p) != after.get(p)}
    assert {Path(os.path.abspath(p)) for p in changed} <= planned
    if code == 0:
        assert output.exists()


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text() if (task / "children").exists() else ""
        found |= {int(c) for c in text.split()}
    return found


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_workers_die_with_their_killed_parent(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    source = tmp_path / "in.csv"
    source.write_text("text\n" + "".join(f"门锁坏了，售后电话打不通，第{i}次\n" for i in range(12_000)), encoding="utf-8")
    out = tmp_path / "out.csv"
    proc = subprocess.Popen([sys.executable, "-m", "brandrep.cli", "score", str(source), "--text-column", "text",
                             "--output", str(out), "--workers", "2", "--chunk-size", "200", "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    workers: set[int] = set()
    while len(workers) < 2:
        assert proc.poll() is None and time.monotonic() < deadline
        workers = _children(proc.pid)
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    def running(pid: int) -> bool:
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False

    while any(running(w) for w in workers):
        assert time.monotonic() < deadline, "workers outlived their parent"
        time.sleep(0.1)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_ctrl_c_with_workers_is_one_message_and_exit_130(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    source = tmp_path / "in.csv"
    source.write_text("text\n" + "".join(f"门锁坏了，售后电话打不通，第{i}次\n" for i in range(12_000)), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "brandrep.cli", "score", str(source), "--text-column", "text",
                             "--output", str(tmp_path / "out.csv"), "--workers", "2", "--chunk-size", "200",
                             "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while len(_children(proc.pid)) < 2:
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does: the whole foreground group
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "Traceback" not in err and err.strip() == "brandrep score: interrupted"


def test_save_chart_outside_a_run_needs_a_folder_and_never_writes_the_checkout(monkeypatch):
    from brandrep import charts, paths
    from brandrep.charts import examples
    from brandrep.errors import BrandrepError

    monkeypatch.delenv(paths.OUTPUT_ROOT_ENV, raising=False)
    figures = paths.PROJECT_ROOT / "figures"
    before = snapshot(figures) if figures.is_dir() else {}
    with pytest.raises(BrandrepError, match="name the folder"):
        charts.save_chart(charts.sentiment_by_brand, examples.sentiment_by_brand())
    assert (snapshot(figures) if figures.is_dir() else {}) == before


def test_temporary_file_of_a_killed_assembly_is_removed_by_the_next_run(tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes(INPUT)
    stale = tmp_path / ".out.csv.k1ll3d.part"
    stale.write_bytes(b"half")
    assert score(source, tmp_path / "out.csv") == 0
    assert not stale.exists()
