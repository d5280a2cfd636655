"""Build the processed tables from data/raw: figures, complaints, denominators, rejects, datapackage.json.

Deterministic: rows are sorted, no timestamps or absolute paths are written, so a rerun is
byte-identical. Every raw file reconciles: rows read = accepted + rejected + duplicates.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from brandrep.brands import UnknownBrandWarning
from brandrep.cleaning.complaints import build_complaints
from brandrep.cleaning.datapackage import write_datapackage
from brandrep.cleaning.dictionary import columns
from brandrep.cleaning.figures import build_figures, denominators_table, figures_table
from brandrep.cleaning.reading import Accounting, RawTable, read_raw
from brandrep.cleaning.schemas import (COMPLAINTS_RAW, COMPLAINTS_RAW_OPTIONAL, COMPLAINTS_RAW_REQUIRED, FIGURES_RAW,
                                       FIGURES_RAW_OPTIONAL, FIGURES_RAW_REQUIRED, PROCESSED)
from brandrep.errors import InputError
from brandrep.io import write_table
from brandrep.paths import PROJECT_ROOT, RAW_DIR, processed_dir

FIGURES_FILE = "figures.csv"
COMPLAINTS_FILE = "complaint_shares.csv"


@dataclass
class CleaningResult:
    tables: dict[str, pd.DataFrame]
    accounting: dict[str, Accounting]           # per raw file
    unknown_brands: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)

    @property
    def total(self) -> Accounting:
        result = Accounting(0, 0, 0, 0)
        for item in self.accounting.values():
            result = result + item
        return result

    def report(self) -> str:
        lines = [f"{file}: {acc.line()}" for file, acc in sorted(self.accounting.items())]
        lines.append(f"all raw files: {self.total.line()}")
        reasons = self.tables["rejects"].groupby("reason").size().sort_index()
        for reason, n in reasons.items():
            lines.append(f"  rejected/set aside {n}: {reason}")
        if self.unknown_brands:
            lines.append("unknown brands kept as written: " + ", ".join(self.unknown_brands))
        return "\n".join(lines)


def read_figures(path, sheet=None) -> RawTable:
    return read_raw(path, FIGURES_RAW, FIGURES_RAW_REQUIRED, FIGURES_RAW_OPTIONAL, sheet=sheet)


def read_complaints(path, sheet=None) -> RawTable:
    return read_raw(path, COMPLAINTS_RAW, COMPLAINTS_RAW_REQUIRED, COMPLAINTS_RAW_OPTIONAL, sheet=sheet)


KINDS = ("figures", "complaints")

# Columns each raw kind must have (a file without one cannot be used) and may have.
REQUIRED_COLUMNS = {"figures": FIGURES_RAW_REQUIRED, "complaints": COMPLAINTS_RAW_REQUIRED}
OPTIONAL_COLUMNS = {"figures": FIGURES_RAW_OPTIONAL, "complaints": COMPLAINTS_RAW_OPTIONAL}

# What the reject reasons mean and how to fix them, keyed by a phrase the reason contains
# (the reasons carry the offending value, so they are matched, not looked up).
REASON_MEANINGS = {
    "must not be empty": "a required column is blank on this row: fill it (source_ids names the figure_id(s) "
                         "in figures.csv, or any citation id, the number comes from)",
    "needs a share or a count": "a complaint row must give a share (with its total) or a count, or both",
    "duplicate of line": "the row repeats an earlier row exactly and is set aside (counted once)",
    "repeats an earlier row's": "an id column must be unique within the file",
    "confidence must be": "confidence is one of high, medium, low",
    "measure must be": "measure names the kind of denominator (shipments, revenue, retail_share, ...)",
    "kind must be": "kind is reported, forecast or estimate",
    "source_url must be": "source_url is empty or an http(s) address",
    "above 100%": "shares of one platform, period and category cannot add up to more than 100%",
    "different totals": "rows of one platform, period and category must give the same platform total",
    "above the total": "counts cannot add up to more than the platform total they belong to",
    "impossible share": "a share must be between 0% and 100% (written as 15.15% or <15.15%)",
    "no integer": "no whole count out of the total rounds to the share as written: check share and total",
    "unknown unit": "write the unit as one of the units listed (台, 套, 件, units, 元/CNY, %, ...), in raw_value "
                    "(300万台) or in the unit column",
    "fits its measure": "a denominator's unit must be what its measure counts: a count unit (台, 套, 件, units) for "
                        "shipments and volumes, 元 (CNY) for revenue, % for retail_share; write it in raw_value or unit",
    "required column": "a column the table needs is missing or renamed: rename it back to the name shown (the "
                       "header of the template from `brandrep new-case` has every column)",
    "mixed encodings": "this line is written in another encoding than the rest of the file (a file pasted together "
                       "from two exports): re-save the file in one encoding, UTF-8 preferably",
    "formula without a computed value": "an Excel formula whose result was never saved: open the workbook in Excel "
                                        "or LibreOffice and save it, so every formula cell stores its value",
    "undecodable bytes": "bytes that no plausible encoding reads: the file is damaged at this line, or the column "
                         "holds binary data, not text",
}


def reason_meaning(reason: str) -> str:
    """Plain-language meaning of a reject reason, or "" when none is recorded."""
    return next((meaning for phrase, meaning in REASON_MEANINGS.items() if phrase in reason), "")


def top_reasons(rejects: pd.DataFrame, limit: int = 3) -> str:
    """The most frequent reject reasons, as "N x reason" joined by "; "."""
    if not len(rejects):
        return "no row was rejected (the file has no data rows)"
    counts = rejects.groupby("reason").size().sort_values(ascending=False, kind="stable").head(limit)
    return "; ".join(f"{n} x {reason}" for reason, n in counts.items())


def require_rows(raw: RawTable, accepted: int, table: str, path) -> None:
    """Stop when a required table would be empty: a run that "succeeds" with no complaints only
    fails later, in notebook 03, far from the file that caused it."""
    if accepted:
        return
    acc = raw.accounting(accepted)
    raise InputError(f"no usable row, so the {table} table would be empty ({acc.line()}); top reasons: "
                     f"{top_reasons(raw.rejects_frame())}. Run `brandrep check {path}` for every rejected line",
                     path=path)


def resolve_input(path) -> Path:
    """A path as given, or relative to the project when it is not found where the kernel runs
    (notebooks run with cwd=notebooks/, users type paths from the project root)."""
    path = Path(path)
    if path.is_absolute() or path.exists():
        return path
    candidate = PROJECT_ROOT / path
    return candidate if candidate.exists() else path


def detect_kind(path, sheet=None) -> str:
    """Which raw schema a file follows, from its header (figure_id+raw_value, or share/count)."""
    from brandrep.cleaning.reading import read_table
    from brandrep.io.columns import columns_text

    header = set(read_table(path, required=(), dedupe=False, sheet=sheet).frame.columns)
    if {"figure_id", "raw_value"} & header:
        return "figures"
    if {"share", "count", "platform"} & header:
        return "complaints"
    raise InputError("cannot tell whether this is a figures file (figure_id, raw_value, ...) or a complaint-share "
                     f"file (platform, period_end, brand, share/count, total, source_ids); found columns: "
                     f"{columns_text(sorted(c for c in header if c != '_line'), quote=str)}", path=path)


@dataclass
class CheckResult:
    kind: str
    raw: RawTable
    accepted: int

    @property
    def accounting(self) -> Accounting:
        return self.raw.accounting(self.accepted)

    @property
    def rejects(self) -> pd.DataFrame:
        return self.raw.rejects_frame().sort_values(["line", "column"], kind="stable").reset_index(drop=True)


def check_file(path, kind: str | None = None, sheet: str | None = None) -> CheckResult:
    """Validate one raw file (``sheet``: of a workbook) against its schema and reconciliation
    rules; nothing is written."""
    kind = kind or detect_kind(path, sheet)
    readers = {"figures": (read_figures, build_figures), "complaints": (read_complaints, build_complaints)}
    if kind in readers:
        read, build = readers[kind]
        raw = read(path, sheet)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UnknownBrandWarning)
            table, _ = build(raw)
        return CheckResult(kind, raw, len(table))
    raise ValueError(f"kind must be one of {KINDS}")


def clean(figures_path=None, complaints_path=None) -> CleaningResult:
    """Read, validate and reconcile the raw files into the processed tables (nothing written)."""
    figures_path = resolve_input(figures_path) if figures_path else RAW_DIR / FIGURES_FILE
    complaints_path = resolve_input(complaints_path) if complaints_path else RAW_DIR / COMPLAINTS_FILE

    raw_figures = read_figures(figures_path)
    parsed, unknown_a = build_figures(raw_figures)
    figures = figures_table(parsed)
    denominators = denominators_table(parsed)
    require_rows(raw_figures, len(figures), "figures", figures_path)

    raw_complaints = read_complaints(complaints_path)
    complaints, unknown_b = build_complaints(raw_complaints)
    require_rows(raw_complaints, len(complaints), "complaints", complaints_path)

    rejects = pd.concat([raw_figures.rejects_frame(), raw_complaints.rejects_frame()], ignore_index=True)
    rejects["line"] = rejects["line"].astype("Int64")
    rejects = rejects.sort_values(["file", "line", "column", "reason"], kind="stable").reset_index(drop=True)
    for name in ("file", "column", "reason", "raw"):
        rejects[name] = rejects[name].fillna("").astype(str).astype("str")

    tables = {"figures": figures, "complaints": complaints, "denominators": denominators, "rejects": rejects}
    for name, table in tables.items():
        PROCESSED[name].validate(table)  # a failure here is a bug in cleaning, not bad input
    accounting = {raw_figures.file: raw_figures.accounting(accepted=len(figures)),
                  raw_complaints.file: raw_complaints.accounting(accepted=len(complaints))}
    unknown = sorted(set(unknown_a) | set(unknown_b))
    if unknown:
        warnings.warn("unknown brands kept as written: " + ", ".join(unknown), UnknownBrandWarning, stacklevel=2)
    return CleaningResult(tables, accounting, unknown)


def complaints_from(path) -> pd.DataFrame:
    """The reconciled complaints table for a researcher's complaint-share file, without writing
    anything (for notebook 03 pointed at another brand or platform). Rejected rows are reported
    by ``brandrep check PATH``."""
    return clean(complaints_path=path).tables["complaints"]


def write_outputs(result: CleaningResult, out_dir=None) -> list[Path]:
    out_dir = Path(out_dir) if out_dir else processed_dir()
    written = []
    for name in ("figures", "complaints", "denominators", "rejects"):
        written += write_table(result.tables[name][columns(name)], out_dir / name)
    written.append(write_datapackage(out_dir))
    result.written = written
    return written


def build(figures_path=None, complaints_path=None, out_dir=None) -> CleaningResult:
    """clean() then write every table, the rejects and datapackage.json; prints the accounting."""
    result = clean(figures_path, complaints_path)
    write_outputs(result, out_dir)
    print(result.report())
    return result
