"""Read a raw file and validate it against its pandera schema; collect rejects as we go.

Reading goes through :func:`brandrep.io.read_table` (encodings, CSV/TSV/XLSX/Parquet, near-miss
column names, unreadable rows rejected, exact duplicates set aside); this module adds the schema
check and keeps one list of rejects per file, duplicates included, so nothing disappears silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from brandrep.cleaning.dictionary import columns
from brandrep.cleaning.schemas import failures_to_rejects
from brandrep.errors import InputError
from brandrep.io import Accounting, read_table
from brandrep.paths import PROJECT_ROOT

REJECT_COLUMNS = columns("rejects")


def display_path(path) -> str:
    """Path as written into outputs: relative to the project, never absolute (determinism)."""
    path = Path(path).resolve()
    try:
        return path.relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return path.name


@dataclass
class RawTable:
    """A raw file after reading and schema validation: usable rows, rejects and the accounting."""

    file: str
    frame: pd.DataFrame
    read: int
    duplicates: int
    rejects: list[dict] = field(default_factory=list)
    encoding: str = ""  # as detected by the reader ("n/a" for Parquet and XLSX)
    format: str = ""

    def reject(self, line: int, column: str, reason: str, raw) -> None:
        self.rejects.append({"file": self.file, "line": int(line), "column": column or "",
                             "reason": str(reason), "raw": "" if raw is None else str(raw)})

    def parse_rows(self, parse, raw_column: str = "") -> list[dict]:
        """Apply ``parse`` to every row; a row it refuses (InputError) is rejected with the error's
        column and reason, and the rest are returned."""
        parsed = []
        for row in self.frame.to_dict("records"):
            try:
                parsed.append(parse(row))
            except InputError as error:
                self.reject(row["_line"], error.column or "", error.reason, row.get(error.column or raw_column, ""))
        return parsed

    def rejects_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rejects, columns=REJECT_COLUMNS)

    def accounting(self, accepted: int) -> Accounting:
        """accepted = rows that reached a processed table; every other unique row was rejected."""
        result = Accounting(read=self.read, accepted=accepted, rejected=self.read - self.duplicates - accepted,
                            duplicates=self.duplicates)
        result.check()
        return result


def _refuse_renamed_optional(found, required, optional, path) -> None:
    """An optional column may be left out, so a renamed one (``measures`` for ``measure``) would
    silently read as empty: every denominator lost without a word. A column that is no column of
    the table but close to a missing one is taken for such a rename and stops the read."""
    import difflib

    known = {*required, *optional, "_line"}
    missing = [name for name in optional if name not in found]
    for name in found:
        if name in known:
            continue
        close = difflib.get_close_matches(str(name).strip().casefold(), missing, n=1, cutoff=0.75)
        if close:
            raise InputError(f"{name!r} is not a column of this table; did you mean {close[0]!r}? Rename it "
                             f"(a renamed optional column would be read as empty)", path=path, row=1, column=str(name))


def read_raw(path, schema: pa.DataFrameSchema, required, optional, sheet=None) -> RawTable:
    """Read ``path``; a missing required column raises InputError (the file cannot be used)."""
    file = display_path(path)
    try:
        result = read_table(path, required=tuple(required), optional=tuple(optional), dedupe=True, label=file,
                            sheet=sheet)
    except InputError as error:
        if error.column in required and error.row is None:  # a required column missing or renamed
            raise InputError(f"{error.reason.rstrip('.?')}. Fix: rename the column back to {error.column!r} in the header "
                             "(row 1); the template of `brandrep new-case` has every column",
                             path=error.path, row=1, column=error.column) from None
        raise
    frame = result.frame.copy()
    _refuse_renamed_optional(frame.columns, required, optional, path)
    for name in optional:  # optional columns may be left out of a researcher's file
        if name not in frame.columns:
            frame[name] = ""
    # XLSX integer and boolean columns with empty cells are nullable (Int64, boolean): as objects
    # they take "" and become "30", not "30.0"
    nullable = {c: object for c in frame.columns
                if isinstance(frame[c].dtype, pd.api.extensions.ExtensionDtype) and frame[c].dtype.kind in "iufb"}
    frame = frame.astype(nullable).fillna("")
    for name in [*required, *optional]:
        frame[name] = frame[name].astype(str).str.strip()
    table = RawTable(file, frame.reset_index(drop=True), read=result.accounting.read,
                     duplicates=result.accounting.duplicates, encoding=result.encoding, format=result.format)
    # The reader's rejects list every row it did not use, duplicates ("duplicate of line N") included.
    for row in result.rejects.to_dict("records"):
        table.reject(row["line"], row["column"], row["reason"], row["raw"])
    try:
        schema.validate(table.frame, lazy=True)
    except pa.errors.SchemaErrors as error:
        failures = failures_to_rejects(error, table.frame, file)
        for row in failures.to_dict("records"):
            table.reject(row["line"], row["column"], row["reason"], row["raw"])
        bad_lines = set(failures["line"])
        table.frame = table.frame[~table.frame["_line"].isin(bad_lines)].reset_index(drop=True)
    return table
