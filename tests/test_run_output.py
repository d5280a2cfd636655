"""`brandrep run --output DIR` never deletes a file it did not write (issue 11)."""

from __future__ import annotations

from brandrep import suite
from brandrep.cli import main


def test_non_empty_folder_that_is_not_a_brandrep_output_is_refused(tmp_path, capsys):
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "mine.png").write_bytes(b"user's")
    assert main(["run", "01", "--output", str(tmp_path), "--no-progress"]) == 2
    assert "not a brandrep output" in capsys.readouterr().err
    assert (tmp_path / "figures" / "mine.png").read_bytes() == b"user's"


def test_mirror_under_output_deletes_only_files_of_an_earlier_run(tmp_path):
    staging, target = tmp_path / "stage", tmp_path / "out"
    (staging / "figures").mkdir(parents=True)
    (staging / "figures" / "new.png").write_bytes(b"new")
    (target / "figures").mkdir(parents=True)
    (target / "figures" / "old_run.png").write_bytes(b"old")
    (target / "figures" / "user.png").write_bytes(b"user's")
    suite.write_manifest(target, target / suite.paths.MANIFEST_PATH.name)
    (target / "figures" / "later_user.png").write_bytes(b"user's later")
    # the manifest lists old_run.png and user.png as the earlier run's; later_user.png is not
    suite._mirror(staging, target)
    assert (target / "figures" / "new.png").read_bytes() == b"new"
    assert (target / "figures" / "later_user.png").read_bytes() == b"user's later"
    assert not (target / "figures" / "old_run.png").exists()
