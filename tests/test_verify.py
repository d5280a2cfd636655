"""`brandrep verify` checks against what was committed, not against the last run (issue 10)."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest


def _manifest(root: Path) -> None:
    lines = []
    for file in sorted((root / "data" / "processed").glob("*")):
        digest = hashlib.sha256(file.read_bytes()).hexdigest()
        lines.append(f"{digest}  {file.relative_to(root).as_posix()}\n")
    (root / "outputs.sha256").write_text("".join(lines), encoding="utf-8")


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "checkout"
    (root / "data" / "processed").mkdir(parents=True)
    (root / "data" / "raw").mkdir()
    (root / "notebooks").mkdir()
    (root / "data" / "processed" / "limits.csv").write_text("name,value\na,20842094595.4\nb,1.5\n", encoding="utf-8")
    (root / "data" / "processed" / "notes.txt").write_text("kept\n", encoding="utf-8")
    _manifest(root)
    return root


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def _commit(root: Path) -> None:
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "outputs")


def test_a_run_that_rewrote_the_manifest_still_drifts_from_head(project, run_cli):
    _commit(project)
    (project / "data" / "processed" / "limits.csv").write_text("name,value\na,20842094595.5\nb,1.5\n", encoding="utf-8")
    _manifest(project)  # what `brandrep run` does after every run
    result = run_cli("verify", env={"BRANDREP_PROJECT_ROOT": str(project)})
    assert result.returncode == 1, result.stdout + result.stderr
    assert "as committed at git HEAD" in result.stderr
    assert "drifted: data/processed/limits.csv" in result.stderr
    assert "value: max abs diff 0.1, max rel diff 4.8e-12" in result.stderr


def test_without_git_it_uses_the_manifest_on_disk_and_names_missing_and_unexpected(project, run_cli):
    (project / "data" / "processed" / "notes.txt").unlink()
    (project / "data" / "processed" / "extra.csv").write_text("x\n1\n", encoding="utf-8")
    result = run_cli("verify", env={"BRANDREP_PROJECT_ROOT": str(project)})
    assert result.returncode == 1, result.stdout + result.stderr
    assert "on disk (no git history here)" in result.stderr
    assert "missing: data/processed/notes.txt" in result.stderr
    assert "unexpected: data/processed/extra.csv" in result.stderr


def test_clean_outputs_pass_and_say_what_they_were_checked_against(project, run_cli):
    _commit(project)
    result = run_cli("verify", env={"BRANDREP_PROJECT_ROOT": str(project)})
    assert result.returncode == 0, result.stderr
    assert "2 files in outputs.sha256 as committed at git HEAD match the outputs" in result.stdout
