"""Row accounting: every row read is accepted, rejected or a duplicate, and the sum must balance.

Issue 7 requires that nothing disappears silently. Every reader returns an :class:`Accounting`
and every command prints :meth:`Accounting.line`; :meth:`Accounting.check` turns a leak (a row
neither accepted, rejected nor counted as a duplicate) into an error instead of a wrong number.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from brandrep.errors import BrandrepError


class AccountingError(BrandrepError):
    """Rows went missing: the accounting does not balance (a bug, never bad input)."""


@dataclass(frozen=True)
class Accounting:
    read: int = 0
    accepted: int = 0
    rejected: int = 0
    duplicates: int = 0

    def line(self) -> str:
        return (
            f"rows read {self.read} = accepted {self.accepted} + rejected {self.rejected}"
            f" + duplicates {self.duplicates}"
        )

    def balances(self) -> bool:
        return self.read == self.accepted + self.rejected + self.duplicates and min(
            self.read, self.accepted, self.rejected, self.duplicates
        ) >= 0

    def check(self) -> "Accounting":
        """Raise :class:`AccountingError` unless read = accepted + rejected + duplicates."""
        if not self.balances():
            raise AccountingError(f"accounting does not balance: {self.line()}")
        return self

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    def __add__(self, other: "Accounting") -> "Accounting":
        if not isinstance(other, Accounting):
            return NotImplemented
        return Accounting(
            self.read + other.read,
            self.accepted + other.accepted,
            self.rejected + other.rejected,
            self.duplicates + other.duplicates,
        )

    def __radd__(self, other):
        # sum(accountings) starts from 0
        if other == 0:
            return self
        return self.__add__(other)


def accounting_path(output_path: str | os.PathLike) -> Path:
    """``out/scores.v2.parquet`` -> ``out/scores.v2.accounting.json`` (named by :mod:`brandrep.io.outputs`)."""
    from brandrep.io.outputs import plan_outputs

    return plan_outputs(output_path).accounting


def write_accounting(accounting: Accounting, output_path: str | os.PathLike) -> Path:
    """Write the checked accounting beside the output as ``OUT.accounting.json``.

    It records the output it belongs to (``written_by``, ``output``): that is how a later run
    knows it may replace this file and the rejects beside it (:func:`brandrep.io.outputs.check_plan`)."""
    from brandrep.io.outputs import WRITTEN_BY
    from brandrep.io.writing import write_text

    accounting.check()
    target = accounting_path(output_path)
    payload = {**accounting.as_dict(), "line": accounting.line(),
               "written_by": WRITTEN_BY, "output": Path(output_path).name}
    write_text(target, json.dumps(payload, ensure_ascii=False, indent=1) + "\n")
    return target
