"""Safe, deterministic writes.

Every output goes to a temporary file beside its target and is moved into place with
``os.replace`` only when complete, so a killed run never leaves a truncated file where a good
one was. Tables are written twice: Parquet (typed, for code) and UTF-8-with-BOM CSV (so Excel
shows Chinese); both are byte-identical when the same frame is written again.

Stated precision: every float column is written rounded to ``SIGNIFICANT_DIGITS`` (12)
significant digits, in both Parquet and CSV; the frame in memory keeps full precision. Why 12:
a double carries about 15.95 significant digits, and numpy picks SIMD kernels by CPU (AVX2,
AVX-512, ...) whose results differ by a few ulp (1 ulp is about 1e-16 relative). Rounding to 12
digits leaves a margin of roughly a thousand ulp, so last-bit noise writes the same bytes on
every machine, while staying far beyond the precision any published figure or claim uses.
Rounding is ``float(format(x, ".12g"))``: CPython's correctly rounded decimal conversion, so it
is the same on every platform (no scaled multiply that could itself round differently).
Residual risk: a value whose 13th digit sits within a few ulp of a rounding half-way point can
still flip its 12th digit (about 2e-4 per value per ulp of noise); values computed by chained
transcendental calls are therefore computed stably upstream (e.g. the exact funnel grid in
:mod:`brandrep.stats.funnel`) rather than left to this rounding.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


SIGNIFICANT_DIGITS = 12


# how every Parquet output is written (the suite's tables and `brandrep score`'s outputs alike);
# checkpoint parts, which live only until assembly, have their own (checkpoint.PART_OPTIONS)
PARQUET_OPTIONS = {"compression": "zstd", "write_statistics": False}


def round_significant(values, digits: int = SIGNIFICANT_DIGITS) -> np.ndarray:
    """``values`` (floats) rounded to ``digits`` significant digits; NaN and inf pass through."""
    array = np.asarray(values, dtype=float)
    spec = f".{digits}g"
    flat = [float(format(x, spec)) for x in array.ravel().tolist()]
    return np.array(flat, dtype=float).reshape(array.shape)


def at_stated_precision(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose float columns are rounded as written (see the module docstring)."""
    floats = [name for name in df.columns if pd.api.types.is_float_dtype(df[name].dtype)]
    if not floats:
        return df
    out = df.copy()
    for name in floats:
        column = df[name]
        rounded = round_significant(column.to_numpy(dtype=float, na_value=np.nan))
        out[name] = pd.Series(rounded, index=column.index, name=name).astype(column.dtype)
    return out


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
    Floats are written at the stated precision (:data:`SIGNIFICANT_DIGITS`); ``df`` is unchanged.
    Parquet carries no pandas index metadata or timestamps, only the schema.
    """
    stem = Path(stem)
    df = at_stated_precision(df)
    written = []
    if "parquet" in formats:
        target = stem.with_suffix(".parquet")
        table = pa.Table.from_pandas(df, preserve_index=False)
        with atomic_path(target) as tmp:
            pq.write_table(table, tmp, **PARQUET_OPTIONS)
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
