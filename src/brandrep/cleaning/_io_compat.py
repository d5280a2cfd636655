"""Stand-in for ``brandrep.io.read_table`` / ``Accounting`` until the io layer lands on main.

Same names and fields as contracts.md so that switching is a one-line import change; delete this
module when ``brandrep.io`` exports them (cleaning imports from here only through
``brandrep.cleaning.reading``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from brandrep.errors import InputError

REJECT_COLUMNS = ["file", "line", "column", "reason", "raw"]


@dataclass
class Accounting:
    read: int = 0
    accepted: int = 0
    rejected: int = 0
    duplicates: int = 0

    def line(self) -> str:
        return (f"rows read {self.read} = accepted {self.accepted} + rejected {self.rejected} "
                f"+ duplicates {self.duplicates}")

    def check(self) -> "Accounting":
        if self.read != self.accepted + self.rejected + self.duplicates:
            raise AssertionError(f"accounting does not balance: {self.line()}")
        return self

    def __add__(self, other: "Accounting") -> "Accounting":
        return Accounting(self.read + other.read, self.accepted + other.accepted,
                          self.rejected + other.rejected, self.duplicates + other.duplicates)


@dataclass
class ReadResult:
    frame: pd.DataFrame
    rejects: pd.DataFrame
    accounting: Accounting
    encoding: str = "utf-8"
    format: str = "csv"
    repairs: list = field(default_factory=list)


def read_table(path, *, required=(), optional=(), rename=None, dedupe=True) -> ReadResult:
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", path=path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(f"cannot read as UTF-8 CSV: {exc}", path=path) from exc
    if rename:
        frame = frame.rename(columns=rename)
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(f"missing required column(s) {', '.join(missing)}; found: {', '.join(frame.columns)}",
                         path=path, column=missing[0])
    frame["_line"] = range(2, len(frame) + 2)  # line 1 is the header
    rejects = []
    duplicates = 0
    if dedupe and len(frame):
        columns = [c for c in frame.columns if c != "_line"]
        first_line = frame.groupby(columns, sort=False)["_line"].transform("min")
        dup = frame["_line"] != first_line
        for line, first in zip(frame.loc[dup, "_line"], first_line[dup]):
            rejects.append({"file": str(path), "line": line, "column": "", "reason": f"duplicate of line {first}",
                            "raw": ",".join(frame.loc[frame["_line"] == line, columns].iloc[0])})
        duplicates = int(dup.sum())
        frame = frame[~dup].reset_index(drop=True)
    accounting = Accounting(read=len(frame) + duplicates, accepted=len(frame), rejected=0, duplicates=duplicates)
    return ReadResult(frame, pd.DataFrame(rejects, columns=REJECT_COLUMNS), accounting)
