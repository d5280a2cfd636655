"""Shared fixtures: run the installed `brandrep` command as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run and machine (the suite is deterministic; a
# random draw that fails once in many CI runs is found here, not there). HYPOTHESIS_PROFILE=explore
# draws fresh examples for a deliberate search.
settings.register_profile("brandrep", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "brandrep"))

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def run_cli():
    """Run ``python -m brandrep.cli ARGS`` in a subprocess; returns the CompletedProcess."""

    def run(*args, env=None, cwd=None, timeout=600):
        full_env = {**os.environ, "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg", **(env or {})}
        return subprocess.run(
            [sys.executable, "-m", "brandrep.cli", *map(str, args)],
            capture_output=True, text=True, encoding="utf-8", env=full_env, cwd=cwd, timeout=timeout,
        )

    return run


@pytest.fixture(scope="session")
def cleaned_stats_inputs(tmp_path_factory):
    """Notebook 03's inputs (complaints, denominators) from data/raw, through the cleaning package."""
    import warnings

    from brandrep.cleaning import clean
    from brandrep.stats import inputs

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables = clean().tables
    folder = tmp_path_factory.mktemp("processed")
    tables["complaints"].to_parquet(folder / "complaints.parquet", index=False)
    tables["denominators"].to_parquet(folder / "denominators.parquet", index=False)
    return inputs.read_complaints(folder / "complaints.parquet"), inputs.read_denominators(folder / "denominators.parquet")
