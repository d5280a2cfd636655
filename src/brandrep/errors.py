"""Errors that the command line turns into one clear message instead of a traceback."""

from __future__ import annotations


class BrandrepError(Exception):
    """An error a user can act on; its message says what went wrong and where."""

    exit_code = 1


class InputError(BrandrepError):
    """Bad input: names the file, and where known the row (1-based, as a person counts) and column."""

    exit_code = 2

    def __init__(self, message: str, *, path=None, row: int | None = None, column: str | None = None):
        self.path = path
        self.row = row
        self.column = column
        where = []
        if path is not None:
            where.append(f"file {path}")
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)
        self.reason = message


class ParameterError(BrandrepError):
    """A notebook parameter that is unknown, of the wrong type or out of range."""

    exit_code = 2
