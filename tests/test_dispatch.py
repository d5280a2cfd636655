"""Outputs must not depend on which SIMD kernels numpy picks on this CPU (issue 10).

Notebooks 03 and 04 (the float-heavy ones) are rerun twice into temporary folders: once as is,
and once with ``NPY_DISABLE_CPU_FEATURES`` switching off every optional SIMD target numpy
dispatches to on this machine (AVX-512, AVX2, ...). Both runs must write the same bytes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

NOTEBOOKS = ("03", "04")
OUTPUT_DIRS = ("data/processed", "figures")


def optional_simd_targets() -> list[str]:
    """The dispatch targets numpy uses on this CPU beyond its baseline (which cannot be disabled)."""
    from numpy._core._multiarray_umath import __cpu_baseline__, __cpu_dispatch__, __cpu_features__

    return [name for name in __cpu_dispatch__ if __cpu_features__.get(name) and name not in __cpu_baseline__]


def _checksums(root: Path) -> dict[str, str]:
    return {
        file.relative_to(root).as_posix(): hashlib.sha256(file.read_bytes()).hexdigest()
        for folder in OUTPUT_DIRS
        for file in sorted((root / folder).rglob("*"))
        if file.is_file()
    }


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    import os
    import subprocess
    import sys

    targets = optional_simd_targets()
    if not targets:
        pytest.skip("numpy dispatches no optional SIMD target on this CPU")
    runs = {}
    for label, extra in (("native", {}), ("baseline", {"NPY_DISABLE_CPU_FEATURES": " ".join(targets)})):
        root = tmp_path_factory.mktemp(label)
        env = {**os.environ, "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg", **extra}
        result = subprocess.run(
            [sys.executable, "-m", "brandrep.cli", "run", *NOTEBOOKS, "--output", str(root),
             "--reports", str(root / "reports"), "--no-html", "--no-progress"],
            capture_output=True, text=True, encoding="utf-8", env=env, timeout=600,
        )
        assert result.returncode == 0, result.stderr
        runs[label] = _checksums(root)
    return targets, runs


@pytest.mark.slow
def test_outputs_do_not_depend_on_simd_dispatch(two_runs):
    targets, runs = two_runs
    native, baseline = runs["native"], runs["baseline"]
    assert native.keys() == baseline.keys()
    drifted = sorted(name for name in native if native[name] != baseline[name])
    assert not drifted, f"with NPY_DISABLE_CPU_FEATURES={' '.join(targets)!r} these files differ: {drifted}"


@pytest.mark.slow
def test_dispatch_runs_write_the_committed_bytes(two_runs):
    from conftest import PROJECT_ROOT

    _, runs = two_runs
    committed = _checksums(PROJECT_ROOT)
    drifted = sorted(name for name in runs["baseline"] if committed.get(name) != runs["baseline"][name])
    assert not drifted, f"differ from the committed outputs: {drifted}"
