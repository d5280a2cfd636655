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


def read_figures(path) -> RawTable:
    return read_raw(path, FIGURES_RAW, FIGURES_RAW_REQUIRED, FIGURES_RAW_OPTIONAL)


def read_complaints(path) -> RawTable:
    return read_raw(path, COMPLAINTS_RAW, COMPLAINTS_RAW_REQUIRED, COMPLAINTS_RAW_OPTIONAL)


KINDS = ("figures", "complaints")


def resolve_input(path) -> Path:
    """A path as given, or relative to the project when it is not found where the kernel runs
    (notebooks run with cwd=notebooks/, users type paths from the project root)."""
    path = Path(path)
    if path.is_absolute() or path.exists():
        return path
    candidate = PROJECT_ROOT / path
    return candidate if candidate.exists() else path


def detect_kind(path) -> str:
    """Which raw schema a file follows, from its header (figure_id+raw_value, or share/count)."""
    from brandrep.cleaning.reading import read_table

    header = set(read_table(path, required=(), dedupe=False).frame.columns)
    if {"figure_id", "raw_value"} & header:
        return "figures"
    if {"share", "count", "platform"} & header:
        return "complaints"
    raise InputError("cannot tell whether this is a figures file (figure_id, raw_value, ...) or a complaint-share "
                     f"file (platform, period_end, brand, share/count, total, source_ids); found columns: "
                     f"{', '.join(sorted(c for c in header if c != '_line'))}", path=path)


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


def check_file(path, kind: str | None = None) -> CheckResult:
    """Validate one raw file against its schema and reconciliation rules; nothing is written."""
    kind = kind or detect_kind(path)
    readers = {"figures": (read_figures, build_figures), "complaints": (read_complaints, build_complaints)}
    if kind in readers:
        read, build = readers[kind]
        raw = read(path)
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

    raw_complaints = read_complaints(complaints_path)
    complaints, unknown_b = build_complaints(raw_complaints)

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
