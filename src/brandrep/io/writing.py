"""Safe, deterministic writes.

Every output goes to a temporary file beside its target and is moved into place with
``os.replace`` only when complete, so a killed run never leaves a truncated file where a good
one was. Tables are written twice: Parquet (typed, for code) and UTF-8-with-BOM CSV (so Excel
shows Chinese); both are byte-identical when the same frame is written again.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; on success move it over ``target``."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        # mkstemp makes the file private (0600); an output gets the usual permissions.
        os.chmod(tmp_path, 0o666 & ~_umask())
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_text(target: str | os.PathLike, text: str) -> Path:
    """Write UTF-8 text atomically with Unix newlines."""
    target = Path(target)
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return target


def write_table(df: pd.DataFrame, stem: str | os.PathLike, *, formats=("parquet", "csv")) -> list[Path]:
    """Write ``df`` as ``STEM.parquet`` and ``STEM.csv`` (UTF-8 with BOM), atomically.

    The index is not written; callers sort rows before writing so reruns are byte-identical.
    Parquet carries no pandas index metadata or timestamps, only the schema.
    """
    stem = Path(stem)
    written = []
    if "parquet" in formats:
        target = stem.with_suffix(".parquet")
        table = pa.Table.from_pandas(df, preserve_index=False)
        with atomic_path(target) as tmp:
            pq.write_table(table, tmp, compression="zstd", write_statistics=False)
        written.append(target)
    if "csv" in formats:
        target = stem.with_suffix(".csv")
        with atomic_path(target) as tmp:
            df.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\n")
        written.append(target)
    return written


# Excel runs a cell starting with these as a formula (CSV injection); OWASP's rule is a leading '.
FORMULA_STARTS = ("=", "+", "-", "@")


def excel_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` for a CSV that Excel will open: text cells starting with ``= + - @`` get a
    leading ``'`` so Excel shows them instead of running them. Parquet keeps the text as it was."""
    out = frame
    for name in frame.columns:
        column = frame[name]
        if column.dtype != object and not pd.api.types.is_string_dtype(column):
            continue
        text = column.astype("string")
        risky = text.str.startswith(FORMULA_STARTS).fillna(False).to_numpy(dtype=bool)
        if risky.any():
            if out is frame:
                out = frame.copy()
            out[name] = column.where(~risky, "'" + text)
    return out
