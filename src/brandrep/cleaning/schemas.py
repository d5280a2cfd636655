"""pandera schemas: what a usable raw row looks like, and what each processed table guarantees.

Raw schemas check structure and vocabularies (ids, confidence, measure, kind); the numbers
themselves are read by :mod:`brandrep.numbers`, whose errors name the text. Failures become
reject rows (file, line, column, reason, raw) rather than stopping the run. Processed schemas are
built from :mod:`brandrep.cleaning.dictionary` and must always pass: a failure there is a bug.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from brandrep.cleaning.dictionary import CONFIDENCE, MEASURES, QUALIFIERS, TABLES

_ID = r"^[A-Za-z][A-Za-z0-9_.-]*$"
_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


def _text(*checks, required=True):
    return pa.Column(str, checks=list(checks), nullable=False, required=required)


_NONEMPTY = pa.Check.str_length(min_value=1, error="must not be empty")

FIGURES_RAW_REQUIRED = ("figure_id", "metric", "raw_value", "source_name", "confidence")
FIGURES_RAW_OPTIONAL = ("entity", "brand", "platform", "category", "unit", "kind", "measure", "scope", "basis",
                        "period_start", "period_end", "as_of_date", "source_url", "published_date", "page", "note")

FIGURES_RAW = pa.DataFrameSchema(
    {
        "figure_id": pa.Column(str, [pa.Check.str_matches(_ID, error="figure_id must be letters, digits, . _ -")],
                               unique=True, report_duplicates="exclude_first"),
        "metric": _text(_NONEMPTY),
        "raw_value": _text(_NONEMPTY),
        "source_name": _text(_NONEMPTY),
        "confidence": _text(pa.Check.isin(CONFIDENCE, error=f"confidence must be one of {', '.join(CONFIDENCE)}")),
        "kind": _text(pa.Check.isin(("", "reported", "forecast", "estimate"),
                                    error="kind must be reported, forecast or estimate"), required=False),
        "measure": _text(pa.Check.isin(("", *MEASURES), error=f"measure must be empty or one of {', '.join(MEASURES)}"),
                         required=False),
        "source_url": _text(pa.Check.str_matches(r"^(|https?://\S+)$", error="source_url must be an http(s) address"),
                            required=False),
    },
    strict=False,
)

COMPLAINTS_RAW_REQUIRED = ("platform", "period_end", "brand", "source_ids")
COMPLAINTS_RAW_OPTIONAL = ("record_id", "period_start", "category", "share", "count", "total", "note")

COMPLAINTS_RAW = pa.DataFrameSchema(
    {
        "record_id": pa.Column(str, [pa.Check(lambda s: ~(s.duplicated() & (s != "")),
                                              error="record_id repeats an earlier row's record_id")], required=False),
        "platform": _text(_NONEMPTY),
        "period_end": _text(_NONEMPTY),
        "source_ids": _text(_NONEMPTY),
    },
    checks=[pa.Check(lambda df: (df["share"] != "") | (df["count"] != ""),
                     error="needs a share or a count")],
    strict=False,
)


def _processed_schema(table: str, extra: dict | None = None, checks=()) -> pa.DataFrameSchema:
    kinds = {"string": str, "number": float, "integer": "Int64", "boolean": bool}
    cols = {}
    for name, (kind, _description) in TABLES[table]["columns"].items():
        cols[name] = pa.Column(kinds[kind], nullable=True, coerce=False, checks=(extra or {}).get(name, []))
    return pa.DataFrameSchema(cols, strict=True, ordered=True, checks=list(checks))


_QUALIFIER = [pa.Check.isin(QUALIFIERS)]
_DATE = [pa.Check.str_matches(_ISO_DATE)]
_LOW_LE_HIGH = pa.Check(lambda df: ~(df["value_low"] > df["value_high"]), error="value_low > value_high")

FIGURES = _processed_schema(
    "figures",
    {"qualifier": _QUALIFIER, "period_start": _DATE, "period_end": _DATE, "confidence": [pa.Check.isin(CONFIDENCE)],
     "figure_id": [pa.Check(lambda s: ~s.duplicated(), error="figure_id repeated")]},
    checks=[_LOW_LE_HIGH,
            # a bound never carries the other end: a lower bound has no high, an upper bound no low
            pa.Check(lambda df: ~((df["qualifier"] == "lower_bound") & df["value_high"].notna()),
                     error="lower bound with a high end"),
            pa.Check(lambda df: ~((df["qualifier"] == "upper_bound") & df["value_low"].notna()),
                     error="upper bound with a low end")],
)
COMPLAINTS = _processed_schema(
    "complaints",
    {"qualifier": _QUALIFIER, "period_start": _DATE, "period_end": _DATE,
     "complaints": [pa.Check.ge(0)], "complaints_low": [pa.Check.ge(0)], "total": [pa.Check.gt(0)],
     "share_pct": [pa.Check.in_range(0, 100)]},
    checks=[pa.Check(lambda df: ~(df["complaints_low"] > df["complaints_high"]), error="low > high"),
            pa.Check(lambda df: ~(df["complaints_high"] > df["total"]), error="count above total")],
)
DENOMINATORS = _processed_schema(
    "denominators",
    {"qualifier": _QUALIFIER, "measure": [pa.Check.isin(MEASURES)], "period_start": _DATE, "period_end": _DATE,
     "confidence": [pa.Check.isin(CONFIDENCE)]},
    checks=[_LOW_LE_HIGH],
)
REJECTS = _processed_schema("rejects", {"line": [pa.Check.ge(1)]})

PROCESSED = {"figures": FIGURES, "complaints": COMPLAINTS, "denominators": DENOMINATORS, "rejects": REJECTS}


def failures_to_rejects(error: pa.errors.SchemaErrors, frame: pd.DataFrame, file: str) -> pd.DataFrame:
    """Turn pandera's failure cases into reject rows naming line and column."""
    rows = []
    for case in error.failure_cases.itertuples(index=False):
        index = case.index
        if index is None or pd.isna(index) or index not in frame.index:
            continue  # whole-column problems (missing columns) are raised, not rejected
        row_level = case.schema_context == "DataFrameSchema"
        column = case.column if not row_level and isinstance(case.column, str) and case.column in frame.columns else ""
        reason = _reason(case, column)
        raw = frame.at[index, column] if column else _row_text(frame.loc[index])
        rows.append({"file": file, "line": int(frame.at[index, "_line"]), "column": column,
                     "reason": reason, "raw": str(raw)})
    rejects = pd.DataFrame(rows, columns=list(TABLES["rejects"]["columns"]))
    return rejects.drop_duplicates(["line", "column", "reason"]).reset_index(drop=True)


def _reason(case, column: str) -> str:
    check = str(case.check)
    if check == "field_uniqueness":
        return f"{column} repeats an earlier row's {column}"
    return check


def _row_text(row: pd.Series) -> str:
    return ",".join(str(v) for k, v in row.items() if k != "_line")
