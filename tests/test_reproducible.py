"""Reviewers' promise: the committed outputs are exactly what the code makes."""

from __future__ import annotations

import pytest


def test_committed_outputs_match_their_manifest(run_cli):
    result = run_cli("verify")
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_whole_suite_rerun_is_byte_identical(run_cli):
    # Reruns every notebook from a clean kernel into a temporary folder and compares checksums.
    result = run_cli("verify", "--rerun", timeout=1500)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "match a fresh rerun" in result.stdout
