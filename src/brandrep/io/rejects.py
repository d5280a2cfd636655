"""The rejects file: every row that could not be used, with its file, line, column and reason.

``OUT.rejects.csv`` sits beside the output ``OUT.parquet``/``OUT.csv``; it is UTF-8 with BOM
(so Excel shows Chinese), always has its header (an empty rejects file is evidence that nothing
was rejected), and is written atomically like every other output.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pandas as pd

from brandrep.io.writing import atomic_path

REJECT_COLUMNS = ("file", "line", "column", "reason", "raw")


def empty_rejects() -> pd.DataFrame:
    """A rejects table with no rows (a copy: callers may add to it)."""
    return _empty_rejects().copy()


@functools.lru_cache(maxsize=1)
def _empty_rejects() -> pd.DataFrame:
    # built once: every chunk of a clean file needs one, and building a frame costs about 2 ms
    frame = pd.DataFrame({name: pd.Series([], dtype="object") for name in REJECT_COLUMNS})
    frame["line"] = frame["line"].astype("Int64")
    return frame


def rejects_frame(records: list[dict]) -> pd.DataFrame:
    """Build a rejects table from dicts with the keys of :data:`REJECT_COLUMNS`."""
    if not records:
        return empty_rejects()
    frame = pd.DataFrame.from_records(records, columns=list(REJECT_COLUMNS))
    frame["line"] = frame["line"].astype("Int64")
    for name in ("file", "column", "reason", "raw"):
        frame[name] = frame[name].fillna("").astype("object")
    return frame


def rejects_path(output_path: str | os.PathLike) -> Path:
    """``out/scores.v2.parquet`` -> ``out/scores.v2.rejects.csv`` (named by :mod:`brandrep.io.outputs`)."""
    from brandrep.io.outputs import plan_outputs

    return plan_outputs(output_path).rejects


def write_rejects(rejects: pd.DataFrame | None, output_path: str | os.PathLike) -> Path:
    """Write ``rejects`` to ``OUTPUT.rejects.csv`` beside ``output_path``; return that path."""
    frame = empty_rejects() if rejects is None else rejects.copy()
    for name in REJECT_COLUMNS:
        if name not in frame.columns:
            frame[name] = pd.Series([""] * len(frame), dtype="object", index=frame.index)
    extra = [c for c in frame.columns if c not in REJECT_COLUMNS]
    frame = frame[[*REJECT_COLUMNS, *extra]]
    target = rejects_path(output_path)
    with atomic_path(target) as tmp:
        frame.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\n")
    return target
