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


def test_data_dictionary_describes_every_processed_table_and_column():
    import json

    import pandas as pd

    from conftest import PROJECT_ROOT

    processed = PROJECT_ROOT / "data" / "processed"
    package = json.loads((processed / "datapackage.json").read_text(encoding="utf-8"))
    described = {r["path"]: [f["name"] for f in r["schema"]["fields"]] for r in package["resources"]}
    tables = sorted(p.name for p in processed.glob("*.csv"))
    assert sorted(described) == tables
    for name in tables:
        assert described[name] == list(pd.read_csv(processed / name, nrows=0, encoding="utf-8-sig").columns), name
    assert all(f.get("description") for r in package["resources"] for f in r["schema"]["fields"])
