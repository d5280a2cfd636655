"""The one input/output layer every command and notebook uses.

Reading (hostile input, issue 7): :func:`read_table`, :func:`iter_table_chunks` ->
:class:`ReadResult` with an :class:`Accounting` that always balances; rejected rows go to
:func:`write_rejects` and the accounting to :func:`write_accounting`, beside the output. Text
hygiene: :func:`clean_text`. Writing: :mod:`brandrep.io.writing`. Resumable chunked outputs:
:class:`ChunkCheckpoint` (:mod:`brandrep.io.checkpoint`).
"""

from brandrep.io.accounting import Accounting, AccountingError, accounting_path, write_accounting
from brandrep.io.checkpoint import ChunkCheckpoint, file_fingerprint
from brandrep.io.columns import normalize_column_name
from brandrep.io.reading import LINE_COLUMN, ReadResult, iter_table_chunks, read_table
from brandrep.io.rejects import REJECT_COLUMNS, rejects_path, write_rejects
from brandrep.io.text import CleanText, clean_text
from brandrep.io.writing import atomic_path, write_table, write_text

__all__ = [
    "Accounting",
    "AccountingError",
    "ChunkCheckpoint",
    "CleanText",
    "LINE_COLUMN",
    "REJECT_COLUMNS",
    "ReadResult",
    "accounting_path",
    "atomic_path",
    "clean_text",
    "file_fingerprint",
    "iter_table_chunks",
    "normalize_column_name",
    "read_table",
    "rejects_path",
    "write_accounting",
    "write_rejects",
    "write_table",
    "write_text",
]
