"""Checks and small conversions on the contract tables that the chart functions read."""

from __future__ import annotations

import pandas as pd

from brandrep.errors import BrandrepError


def require_columns(df, chart: str, table: str, columns) -> pd.DataFrame:
    """Fail with the chart, the table and the missing columns named, before anything is drawn."""
    if df is None:
        raise BrandrepError(f"chart {chart!r}: input table {table!r} is missing")
    if not isinstance(df, pd.DataFrame):
        raise BrandrepError(f"chart {chart!r}: input table {table!r} must be a DataFrame, got {type(df).__name__}")
    missing = [column for column in columns if column not in df.columns]
    if missing:
        raise BrandrepError(
            f"chart {chart!r}: table {table!r} lacks column(s) {', '.join(missing)} "
            f"(columns found: {', '.join(map(str, df.columns))})"
        )
    return df


def require_rows(df: pd.DataFrame, chart: str, table: str, what: str = "") -> pd.DataFrame:
    if df.empty:
        raise BrandrepError(f"chart {chart!r}: table {table!r} has no rows{' ' + what if what else ''}")
    return df


def percent_scale(*series: pd.Series) -> float:
    """100 if the shares are fractions (all <= 1), 1 if they are already percentages."""
    values = pd.concat([pd.to_numeric(s, errors="coerce") for s in series]).dropna()
    return 100.0 if values.empty or values.abs().max() <= 1.0 else 1.0


def iso_date(value) -> str:
    try:
        if value is None or pd.isna(value):
            return "?"
    except (TypeError, ValueError):  # array-like: not a date
        pass
    try:
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    except (ValueError, TypeError):
        return str(value)


def numeric(df: pd.DataFrame, columns) -> pd.DataFrame:
    out = df.copy()
    for column in columns:
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("float64")
    return out


def truthy(series: pd.Series) -> pd.Series:
    """Booleans from a bool, 0/1 or 'true'/'false' column (CSV round trips turn bools to text)."""
    if series.dtype == bool:
        return series
    text = series.astype("string").str.strip().str.lower()
    return text.isin(["true", "1", "yes", "t"]).fillna(False).astype(bool)
