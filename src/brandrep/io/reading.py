"""Read a researcher's table, whatever state it is in, without losing a row.

One reader for every command and notebook (issue 7). :func:`read_table` loads a whole file,
:func:`iter_table_chunks` streams it in chunks of ``chunk_size`` rows read (bounded memory; the
chunk boundaries depend only on the file, so a resumed run sees the same chunks).

What it does with hostile input:

- **Format** from the extension, overridden by the content: Parquet (``PAR1``) and XLSX (a zip)
  are recognised by their magic bytes whatever they are called; text files are CSV, TSV or JSON
  Lines (first character ``{``); the delimiter is taken from the header line (``,`` ``\\t`` ``;``
  ``|``), so Excel's tab-separated "Unicode text" and semicolon CSV load too.
- **Encoding** detected (:mod:`brandrep.io.encoding`) and stated in ``.encoding`` and the log.
- **Columns** matched after normalisation (:mod:`brandrep.io.columns`); a missing required
  column raises :class:`InputError` naming file, expected column, columns found, near misses.
  Matched columns are renamed to the required/optional name; all other columns keep their names.
- **Rows** that cannot be read (wrong field count, broken JSON, undecodable bytes, an unbalanced
  quote) go to ``.rejects`` with file, line, column, reason and the raw text; the rest loads.
  Exact duplicate rows (every column equal, ``_line`` aside; in JSON a missing key equals null)
  are kept out of ``.frame`` when ``dedupe=True``; each is listed in ``.rejects`` with the
  reason ``duplicate of line N`` (so a rejects file shows every row not used) and in
  ``.duplicates`` (the same columns plus ``duplicate_of``).
- **Accounting**: rows read = accepted + rejected + duplicates, checked before returning;
  ``len(.rejects)`` = rejected + duplicates.

A reject's ``reason`` is ``KIND: detail`` with a stable KIND to count by: ``wrong field count``,
``unbalanced quote``, ``unreadable CSV``, ``undecodable bytes``, ``mixed encodings`` (the row is
text in another plausible encoding than the file's), ``invalid JSON``, ``not a JSON object``,
``values beyond the header``, ``formula without a computed value`` (XLSX). Blank lines are not
rows (they are counted in ``.repairs``).

Values: CSV/TSV cells are kept as the exact strings written (no NA guessing: an empty cell is
``""``), JSONL values as strings too (numbers as written, true/false as text, nested objects as JSON
text, null as missing) so a column has one type whatever its records mix, with every key of the
file a column of every chunk; Parquet cells as typed (binary columns decoded as UTF-8, a record
that is not UTF-8 rejected); XLSX cells typed once per sheet (whole numbers as integers, a column
mixing kinds as text). ``sheet`` picks an XLSX worksheet by name or 1-based number;
:func:`describe_input` says how a file will be read (format, encoding, sheet and the others).

``_line`` is the 1-based line of the record's first line in a text file (the header is
line 1 of a CSV, so the first data row is 2), the JSON Lines line number, the line a
pretty-printed JSON object starts on, the worksheet row of an XLSX file, and the record number
(1-based) in Parquet or a JSON array.
"""

from __future__ import annotations

import bisect
import csv
import functools
import io
import itertools
import json
import logging
import re
import sys
from collections import Counter, deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa

from brandrep.errors import BrandrepError, InputError
from brandrep.io.accounting import Accounting
from brandrep.io.columns import match_columns, normalize_column_name
from brandrep.io.dedupe import SeenRows
from brandrep.io.encoding import (
    ESCAPE_HANDLER,
    ESCAPES,
    SAMPLE_BYTES,
    UNDECODABLE,
    UTF8_CODECS,
    detect_encoding,
    file_sample,
    other_encoding,
    show_undecodable,
)
from brandrep.io.rejects import REJECT_COLUMNS, empty_rejects, rejects_frame

log = logging.getLogger("brandrep.io")

LINE_COLUMN = "_line"
DEFAULT_CHUNK_SIZE = 100_000
FORMATS = ("csv", "tsv", "jsonl", "json", "parquet", "xlsx")
_EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
}
BINARY_ENCODING = "n/a"  # Parquet and XLSX carry their own (UTF-8) text encoding

# a 1 MB complaint is one field; the csv module's default limit is 128 KiB
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass
class ReadResult:
    frame: pd.DataFrame
    rejects: pd.DataFrame
    accounting: Accounting
    encoding: str
    format: str
    repairs: list[str] = field(default_factory=list)
    duplicates: pd.DataFrame | None = None
    columns: dict[str, str] = field(default_factory=dict)  # file column -> name in frame
    path: Path | None = None
    chunk: int = 0  # 0-based chunk number (0 for read_table)
    repair_counts: Counter = field(default_factory=Counter, repr=False)
    # CSV/TSV: the line the chunk's reading began on and the one the next chunk begins on
    # (blank lines included), so a chunk read on its own can be checked against its neighbours
    start_line: int | None = None
    next_line: int | None = None

    def summary(self) -> str:
        """One line for the log and the command output."""
        return f"{self.path}: {self.format}, encoding {self.encoding}; {self.accounting.line()}"


def read_table(
    path,
    *,
    required=(),
    optional=(),
    rename: dict | None = None,
    dedupe: bool = True,
    label: str | None = None,
    sheet: str | None = None,
) -> ReadResult:
    """Read the whole of ``path``; see the module docstring for what is repaired or rejected."""
    chunks = list(
        iter_table_chunks(
            path, required=required, optional=optional, rename=rename, dedupe=dedupe,
            chunk_size=None, label=label, sheet=sheet,
        )
    )
    if len(chunks) == 1:
        return chunks[0]
    return combine_chunks(chunks)


def combine_chunks(chunks: list[ReadResult]) -> ReadResult:
    """Join chunk results into one (frames and rejects concatenated, accounting summed)."""
    first = chunks[0]
    counts = sum((c.repair_counts for c in chunks), Counter())
    frame = pd.concat([c.frame for c in chunks], ignore_index=True)
    result = ReadResult(
        frame=frame,
        rejects=_concat_or(c.rejects for c in chunks),
        accounting=sum((c.accounting for c in chunks), Accounting()),
        encoding=first.encoding,
        format=first.format,
        repairs=_describe_repairs(counts),
        duplicates=_concat_or((c.duplicates for c in chunks), _empty_duplicates()),
        columns=first.columns,
        path=first.path,
        repair_counts=counts,
    )
    result.accounting.check()
    return result


def iter_table_chunks(
    path,
    *,
    required=(),
    optional=(),
    rename: dict | None = None,
    dedupe: bool = True,
    chunk_size: int | None = DEFAULT_CHUNK_SIZE,
    label: str | None = None,
    sheet: str | None = None,
    text: tuple = (),
) -> Iterator[ReadResult]:
    """Yield :class:`ReadResult` chunks of at most ``chunk_size`` rows read each.

    Every chunk's accounting balances, and the chunks' accountings sum to the file's. At least
    one chunk is yielded (possibly empty) so callers always get the columns and accounting.
    ``chunk_size=None`` reads everything as one chunk. Duplicates are found across chunks.
    ``text`` names required/optional columns that are always text: in an XLSX or Parquet file
    their numbers, dates and booleans are read as their text, and a repair says so.
    """
    if chunk_size is not None and chunk_size < 1:
        raise ValueError("chunk_size must be a positive number of rows")
    path = Path(path)
    label = label or path.name
    source, fmt = _open_source(path, label, sheet)
    builder = _ChunkBuilder(
        source, label=label, required=required, optional=optional, rename=rename,
        dedupe=dedupe, path=path,
    )
    if builder.mapping is not None:
        source.text_columns = {column for column, name in builder.mapping.items() if name in text}
    log.info("reading %s: format %s, encoding %s", label, source.format, source.encoding)
    total = Accounting()
    chunks = builder.chunks(chunk_size)
    while True:
        with _reader_errors(path, fmt):
            chunk = next(chunks, None)
        if chunk is None:
            break
        total = total + chunk.accounting
        yield chunk
    for repair in _describe_repairs(builder.all_repairs):
        log.info("%s: repaired: %s", label, repair)
    log.info("%s: %s", label, total.line())


def _open_source(path: Path, label: str, sheet):
    if not path.exists():
        raise InputError("file not found", path=path)
    if path.is_dir():
        raise InputError("is a folder, not a table file", path=path)
    with open(path, "rb") as handle:
        head = handle.read(SAMPLE_BYTES)
        complete = handle.read(1) == b""
    if not head:
        raise InputError("file is empty (no header, no rows)", path=path)
    file_repairs = Counter()
    fmt = _detect_format(path, head, file_repairs)
    if sheet is not None and fmt != "xlsx":
        raise InputError(f"--sheet applies to Excel workbooks; this file is {fmt}", path=path)
    with _reader_errors(path, fmt):
        source = _SOURCES[fmt](path, head, complete, label, file_repairs, sheet=sheet)
    return source, fmt


@dataclass
class InputDescription:
    """What a file is, as the reader will read it: for commands to state before they read it."""

    path: Path
    format: str
    encoding: str
    columns: list[str] | None  # None when JSON records have none in their first lines
    sheet: str | None = None
    other_sheets: list[str] = field(default_factory=list)

    def line(self) -> str:
        text = f"{self.path}: read as {self.format}, encoding {self.encoding}"
        if self.sheet is not None:
            others = ", ".join(repr(s) for s in self.other_sheets) or "none"
            text += f"; sheet {self.sheet!r} (other sheets: {others})"
        return text

    def column_named(self, name: str) -> str:
        """The file's own spelling of column ``name``: itself when the file has it as written,
        else the one column that matches it after normalisation; ``name`` when none does (the
        reader then reports it missing)."""
        if self.columns is None or name in self.columns:
            return name
        matches = [c for c in self.columns if normalize_column_name(c) == normalize_column_name(name)]
        return matches[0] if len(matches) == 1 else name


def describe_input(path, *, sheet: str | None = None) -> InputDescription:
    """Format, encoding, columns and (XLSX) sheet of ``path``, reading only its header."""
    path = Path(path)
    source, fmt = _open_source(path, path.name, sheet)
    try:
        with _reader_errors(path, fmt):
            columns = source.header
            if columns is None:  # JSON: the keys of the first records
                rows = next(source.batches(100))[0]
                columns = list(dict.fromkeys(k for row in rows for k in row)) if rows else None
    finally:
        source.close()
    return InputDescription(path, source.format, source.encoding, columns,
                            sheet=getattr(source, "sheet_name", None),
                            other_sheets=getattr(source, "other_sheets", []))


MESSAGE_CHARS = 300  # a reader's own message is cut to this (a 10 MB header must not be echoed)


def cut(text: str, limit: int = MESSAGE_CHARS) -> str:
    """``text`` shortened to ``limit`` characters, saying how much was left out."""
    text = str(text)
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text) - limit:,} more characters)"


@contextmanager
def _reader_errors(path: Path, fmt: str):
    """A damaged file (corrupt Parquet page, broken XLSX sheet XML, ...) makes the library that
    reads it raise its own exception, anywhere in the file: one InputError with file and cause."""
    if fmt not in ("parquet", "xlsx"):  # text is read by brandrep's own code: its errors are bugs
        yield
        return
    try:
        yield
    except BrandrepError:
        raise
    except Exception as error:  # pyarrow, openpyxl, zipfile and XML parsers raise many types
        raise InputError(f"cannot read as {fmt} (damaged file?): {type(error).__name__}: {cut(error)}",
                         path=path) from None


# --------------------------------------------------------------------------- format detection


def _detect_format(path: Path, head: bytes, repairs: Counter) -> str:
    by_name = _EXTENSIONS.get(path.suffix.lower())
    if head.startswith(b"PAR1"):
        by_content = "parquet"
    elif head.startswith(b"PK\x03\x04"):
        by_content = "xlsx"
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError("old binary Excel (.xls) is not supported; save it as .xlsx or CSV", path=path)
    else:
        by_content = "text"
    if by_content != "text":
        if by_name not in (None, by_content):
            repairs[f"file named {path.suffix} is {by_content}; read as {by_content}"] += 1
        return by_content
    if by_name in ("parquet", "xlsx"):
        raise InputError(f"named {path.suffix} but is not a {by_name} file (it holds text)", path=path)
    return by_name or "text"


# --------------------------------------------------------------------------- sources
#
# A source knows the file's format and encoding and yields records as
# (line, values, reject): values is a list aligned with ``header`` (CSV), a dict (JSON) or None
# when the record is rejected, in which case reject = (column, reason, raw).


class _LineFeed:
    """Physical lines for csv.reader, remembering which lines (and numbers) each record used.

    A generator, not a class with ``__next__``: csv.reader pulls one line at a time and a
    generator resumes several times faster, which is most of the reader's per-row cost.
    """

    def __init__(self, stream, first_line: int = 1):
        self.stream = stream
        self.pending: deque = deque()  # (number, text) pushed back to be read again
        self.used: list = []  # (number, text) of the record being read
        self.last = [first_line - 1]  # number of the last line taken from the stream
        self.lines = self._lines(first_line - 1)

    def next_line(self) -> int:
        """Number of the line the next record starts on (between records)."""
        return self.pending[0][0] if self.pending else self.last[0] + 1

    def _lines(self, number):
        used, pending, last = self.used, self.pending, self.last
        # Lines a bad record swallowed are read again first, before the next line is taken from
        # the stream: a line taken early would be lost if another restart replaced this generator
        # while it still held it (and every later line misnumbered).
        while pending:
            item = pending.popleft()
            used.append(item)
            yield item[1]
        for text in self.stream:
            number += 1
            last[0] = number
            used.append((number, text))
            yield text
        if used:  # csv.reader asked for another line mid-record: the file ended inside a quote
            used.append(END_INSIDE_QUOTE)

    def take(self):
        used = self.used[:]
        self.used.clear()
        return used

    def block(self, count: int) -> tuple[list, list]:
        """Up to ``count`` next lines at once, between records: (numbers, texts). Lines read
        again come first, then the stream's; :meth:`give_back` returns the ones not used. The
        line iterator is then a fresh one (a new csv.reader must be made on ``lines``)."""
        pending = self.pending
        items = [pending.popleft() for _ in range(min(count, len(pending)))]
        texts = list(itertools.islice(self.stream, count - len(items)))
        first = self.last[0] + 1
        self.last[0] += len(texts)
        numbers = range(first, first + len(texts))
        if items:
            numbers = [n for n, _ in items] + list(numbers)
            texts = [t for _, t in items] + texts
        self.lines = self._lines(self.last[0])
        return numbers, texts

    def give_back(self, numbers, texts) -> None:
        """Lines of a :meth:`block` not used, to be read again first, in their order."""
        self.pending.extendleft(reversed(list(zip(numbers, texts))))

    def restart(self, items):
        """After a bad record made of ``items``: read ``items[1:]`` again, then go on. Returns a
        fresh line iterator for a new csv.reader (the old one may have hit the end of file)."""
        # the generator had read up to the highest line among these and the pending ones
        items = [item for item in items if item is not END_INSIDE_QUOTE]
        start = max(items[-1][0], self.pending[-1][0] if self.pending else 0)
        self.pending.extendleft(reversed(items[1:]))
        self.lines = self._lines(start)
        return self.lines


# Records are read a block of lines at a time while every line is a common row (issue 17): the
# line-by-line feed costs more than the csv module's own parsing. 0 reads record by record.
FAST_BLOCK_LINES = 16384
FAST_BLOCK_RESTART = 16


# pandas' str dtype, which a frame of Python strings infers; Arrow's large strings map to it
_STR_DTYPES = {pa.large_string(): pd.StringDtype("pyarrow", na_value=np.nan)}


# Marks a record the file ended inside of (an opening quote never closed); never a real line,
# which always has at least one character.
END_INSIDE_QUOTE = (0, "")


def mixed_encodings(line: int, other: str, encoding: str) -> str:
    return f"mixed encodings: line {line} decodes as {other} (the file is read as {encoding})"


def _raw(used) -> str:
    return show_undecodable("".join(text for _, text in used).rstrip("\r\n"))


def _open_text(path: Path, head: bytes, complete: bool, repairs: Counter):
    with open(path, "rb") as handle:
        whole = head if complete else file_sample(handle, head)
    encoding = detect_encoding(head, complete=complete, path=path, whole=whole)
    sample = head[:65536].decode(encoding, errors=ESCAPE_HANDLER)
    escapes_before = ESCAPES.value  # after the sample: the stream decodes those bytes again
    stream = io.TextIOWrapper(open(path, "rb"), encoding=encoding, errors=ESCAPE_HANDLER, newline="")
    crlf = sample.count("\r\n")
    endings = {"CRLF": crlf, "LF": sample.count("\n") - crlf, "CR": sample.count("\r") - crlf}
    if sum(1 for n in endings.values() if n) > 1:
        mixed = ", ".join(f"{k} {v}" for k, v in endings.items() if v)
        repairs[f"mixed line endings ({mixed} in the first 64 KiB) all read as line ends"] += 1
    return encoding, stream, sample, escapes_before


class _DelimitedSource:
    def __init__(self, path, head, complete, label, repairs, *, sheet=None, kind="csv"):
        self.path, self.label, self.repairs = path, label, repairs
        self.encoding, self.stream, sample, self.escapes = _open_text(path, head, complete, repairs)
        first = sample.lstrip("\ufeff \t\r\n")[:1]
        if kind == "text" and first and first in "{[":
            self.stream.close()
            raise _Reroute("jsonl" if first == "{" else "json")
        self.format = "tsv" if kind == "tsv" else "csv"
        self.delimiter = self._sniff_delimiter(sample, "\t" if kind == "tsv" else ",")
        if self.delimiter == "\t":
            self.format = "tsv"
        self.feed = _LineFeed(self.stream)
        self.reader = csv.reader(self.feed.lines, delimiter=self.delimiter)
        self.header, self.header_line = self._read_header()

    def _sniff_delimiter(self, sample: str, default: str) -> str:
        header_line = sample.lstrip("\ufeff\r\n").splitlines()[0] if sample.strip() else ""
        self.sep_line = re.fullmatch(r"sep=(.)", header_line.strip())
        if self.sep_line:  # Excel's delimiter hint, a line before the header
            self.repairs[f"Excel's {header_line.strip()!r} line read as the delimiter"] += 1
            return self.sep_line.group(1)
        counts = {d: header_line.count(d) for d in (",", "\t", ";", "|")}
        best = max(counts, key=lambda d: (counts[d], d == default))
        if counts[best] == 0 or counts[best] == counts[default]:
            return default
        if best != default:
            self.repairs[f"delimiter {best!r} found in the header line (not {default!r})"] += 1
        return best

    def _read_header(self):
        for values in self.reader:
            used = self.feed.take()
            if not values or (len(values) == 1 and not values[0].strip()):
                continue
            if self.sep_line and "".join(t for _, t in used).strip() == self.sep_line.group(0):
                self.sep_line = None
                continue
            names = []
            for index, name in enumerate(values):
                clean = name.replace("\ufeff", "")
                if clean != name:
                    self.repairs["byte-order mark removed from a column name"] += 1
                if not clean.strip():
                    clean = f"column_{index + 1}"
                    self.repairs[f"empty column name {index + 1} named {clean!r}"] += 1
                names.append(clean)
            return _unique_names(names, self.repairs), used[0][0]
        raise InputError("file has no header line (only blank lines)", path=self.path)

    def batches(self, chunk_size):
        """Yield (rows, lines, rejects) per ``chunk_size`` records read; the hot loop of the
        reader, so the common case (right field count, no escaped bytes) does the least."""
        width = len(self.header)
        feed = self.feed
        used = feed.used
        reader = self.reader
        escapes, escapes_before = ESCAPES, self.escapes
        # in a legacy code every non-ASCII row may be UTF-8 that decoded into mojibake
        check_all = self.encoding not in UTF8_CODECS
        limit = chunk_size or sys.maxsize
        # a chunk's accepted rows, in file order: ``parts`` holds the Arrow tables of plain blocks
        # and the runs of ``rows`` (the record loop's lists) before them; ``in_parts`` counts them
        parts, rows, lines, rejects, in_parts = [], [], [], [], 0
        self.span = (feed.next_line(), None)
        block, wait = FAST_BLOCK_LINES, 0  # the block path's next size; records to read before it
        while True:
            if in_parts + len(rows) + len(rejects) >= limit:
                self.span = (self.span[0], feed.next_line())
                yield parts + [rows] if rows else parts, lines, rejects
                self.span = (self.span[1], None)
                parts, rows, lines, rejects, in_parts = [], [], [], [], 0
            if not used and not wait and block:
                room = limit - in_parts - len(rows) - len(rejects)
                taken, table = self._common_rows(min(block, room), rows, lines, width, check_all)
                if table is not None:
                    if rows:
                        parts.append(rows)
                        in_parts, rows = in_parts + len(rows), []
                    parts.append(table)
                    in_parts += table.num_rows
                reader = csv.reader(feed.lines, delimiter=self.delimiter)
                if taken + 1 >= min(block, room):  # all, or all but a last line with a quote
                    block = min(2 * block, FAST_BLOCK_LINES)
                else:  # a record that is not common: it is read as below, then blocks again,
                    # small at first, so giving lines back stays in proportion to the rows taken
                    block, wait = FAST_BLOCK_RESTART, 0 if taken else FAST_BLOCK_RESTART
                if taken:
                    continue
            wait = max(wait - 1, 0)
            try:
                values = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                items = feed.take()
                if not items:
                    break
                rejects.append((items[0][0], "", f"unreadable CSV: {error}", _raw(items[:1])))
                reader = csv.reader(feed.restart(items), delimiter=self.delimiter)
            else:
                if (len(values) == width and len(used) == 1
                        and self._decodes_plainly(used[0][1], escapes.value != escapes_before, check_all)):
                    rows.append(values)
                    lines.append(used[0][0])
                    used.clear()
                else:
                    items = feed.take()
                    values, reject, restart = self._unusual(values, items, width, escapes_before)
                    if restart:
                        reader = csv.reader(feed.restart(items), delimiter=self.delimiter)
                    if reject:
                        rejects.append(reject)
                    elif values is not None:
                        rows.append(values)
                        lines.append(items[0][0])
        self.span = (self.span[0], feed.next_line())
        yield parts + [rows] if rows else parts, lines, rejects

    def _common_rows(self, count, rows, lines, width, check_all) -> tuple[int, pa.Table | None]:
        """Read up to ``count`` records at once while each is a common row (one physical line,
        the right field count, nothing undecodable, no other encoding's bytes: what the loop in
        :meth:`batches` accepts as is); returns how many, and their lines go to ``lines``. The
        lines from the first record that is not common on are given back to be read record by
        record, so this decides nothing the record loop would decide otherwise.

        A block without a quote (:meth:`_plain_bytes`) comes back as one Arrow table of its
        records, cut by Arrow's C++ parser (issue 17: the csv module, Python strings and the str
        frame built from them were most of the reader's cost); other blocks' records are
        appended to ``rows`` and the table is None."""
        numbers, texts = self.feed.block(count)
        data = self._plain_bytes(texts)
        table = plain = None
        if data is not None:  # Arrow refuses a line of another width and skips one that is only a
            # line end, so a table of every line says each was a record of the header's width; the
            # lines are looked at only when it does not have them all
            table = self._plain_table(data, len(texts))
        if table is None and data is not None:
            plain = self._plain_lines(data, width, len(texts))
        if table is not None:
            taken = len(texts)
        elif plain is not None:
            taken, stops = plain
        else:
            records = self._one_record_per_line(texts, len(texts))
            if records is None:  # a record over several lines, or one the strict reading refuses:
                # the block stops before the first line that leaves a quote open
                end = next((i for i, line in enumerate(texts) if line.count('"') % 2), len(texts))
                records = self._one_record_per_line(texts, end) or []
            taken = len(records)
            if set(map(len, records)) - {width}:
                taken = next(i for i, values in enumerate(records) if len(values) != width)
        suspect = ESCAPES.value != self.escapes  # undecodable bytes somewhere: check every line
        if suspect or check_all:
            taken = next((i for i in range(taken) if not self._decodes_plainly(texts[i], suspect, check_all)),
                         taken)
        if table is not None and taken < table.num_rows:  # none taken: no (empty) table either
            table = table.slice(0, taken) if taken else None
        elif plain is not None and taken:
            table = self._plain_table(data[:stops[taken - 1]], taken)
            if table is None:  # text Arrow would read otherwise than the csv module: read as above
                records = self._one_record_per_line(texts, taken)
        if table is None and taken:
            rows.extend(records[:taken])
        lines.extend(numbers[:taken])
        if taken < len(texts):
            self.feed.give_back(numbers[taken:], texts[taken:])
        return taken, table

    def _plain_bytes(self, texts) -> bytes | None:
        """The block as UTF-8 when it is plain: no quote, so each line is one record whose fields
        are the text between delimiters, and a delimiter Arrow can cut at; else None. Also None
        for text Arrow would read otherwise: a leading U+FEFF (Arrow drops a byte-order mark
        there) or text that is not Unicode (escaped bytes)."""
        if not self.delimiter.isascii() or self.delimiter in '"\r\n':  # Arrow cuts at one ASCII byte
            return None
        text = "".join(texts)
        if not text or '"' in text or text.startswith("\ufeff"):
            return None
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:
            return None

    def _plain_lines(self, data: bytes, width: int, count: int) -> tuple[int, np.ndarray] | None:
        """(taken, stops) for the ``count`` lines of a plain block: how many are common rows as
        far as their fields go, and the byte offset each line ends at. A plain line's record has
        the header's width when the line has ``width - 1`` delimiters; a line that is only a line
        end (no record) or longer than the csv module's field limit (an error there) ends the run.
        None if the bytes do not cut into ``count`` lines as the text stream did (not expected)."""
        codes = np.frombuffer(data, dtype=np.uint8)
        if b"\r" in data:  # the last byte of each line end: LF, or a CR no LF follows
            line_feed = codes == 10
            ends = line_feed | (codes == 13)
            ends[:-1] &= ~((codes[:-1] == 13) & line_feed[1:])
            stops = np.flatnonzero(ends) + 1
        else:
            stops = np.flatnonzero(codes == 10) + 1
        if not len(stops) or stops[-1] != len(codes):  # a last line without a line end
            stops = np.append(stops, len(codes))
        if len(stops) != count:
            return None
        starts = np.concatenate(([0], stops[:-1]))
        delimiters_before = np.searchsorted(np.flatnonzero(codes == ord(self.delimiter)), stops)
        delimiters = np.diff(delimiters_before, prepend=0)
        lengths = stops - starts
        last = codes[stops - 1]
        only_end = (((lengths == 1) & ((last == 10) | (last == 13)))
                    | ((lengths == 2) & (last == 10) & (codes[np.maximum(stops - 2, 0)] == 13)))
        bad = ((delimiters != width - 1) | only_end
               | (lengths > csv.field_size_limit()))
        return (int(np.argmax(bad)) if bad.any() else count), stops

    def _plain_table(self, data: bytes, count: int) -> pa.Table | None:
        """The ``count`` lines of ``data`` (plain common rows) as an Arrow table of large strings
        named by the header, every cell the exact text of its field; None unless Arrow reads
        ``count`` rows of the header's width (a block longer than the csv module's field limit is
        not read: one of its lines might be a field over it)."""
        import pyarrow.csv as pacsv

        if len(data) > csv.field_size_limit():
            return None
        header = list(self.header)
        try:
            table = pacsv.read_csv(
                pa.py_buffer(data),
                read_options=pacsv.ReadOptions(column_names=header, use_threads=False, block_size=len(data) + 1),
                parse_options=pacsv.ParseOptions(delimiter=self.delimiter, quote_char=False, double_quote=False,
                                                 escape_char=False, newlines_in_values=False),
                convert_options=pacsv.ConvertOptions(column_types={name: pa.large_string() for name in header},
                                                     strings_can_be_null=False, quoted_strings_can_be_null=False,
                                                     check_utf8=False),
            )
        except pa.ArrowInvalid:  # a line of another width
            return None
        return table if table.num_rows == count else None

    def frame(self, parts) -> pd.DataFrame:
        """A chunk's rows as a frame of str columns (each one Arrow array, as a frame built from
        the lists would have), every cell the exact text of its field: ``parts`` are the Arrow
        tables of plain blocks and the record loop's lists of values, in file order."""
        header = list(self.header)
        tables = [part if isinstance(part, pa.Table) else
                  pa.table([pa.array(values, type=pa.large_string()) for values in zip(*part)], names=header)
                  for part in parts]
        if not tables:
            tables = [pa.table([pa.array([], type=pa.large_string()) for _ in header], names=header)]
        table = pa.concat_tables(tables).combine_chunks()
        return table.to_pandas(types_mapper=_STR_DTYPES.get)

    def _one_record_per_line(self, texts, end) -> list | None:
        """The csv module's records of ``texts[:end]``, or None unless each line is one record
        (fewer records than lines: a quoted field went on over several lines). Read strictly: a
        last line that opens a quoted field, which the lines after ``end`` may go on with, raises
        instead of ending the record there; so does a quote the loose reading takes as text, which
        leaves that line to the record loop."""
        try:
            records = list(csv.reader(itertools.islice(texts, end), delimiter=self.delimiter, strict=True))
        except csv.Error:
            return None
        return records if len(records) == end else None

    def _decodes_plainly(self, text, suspect, check_all) -> bool:
        """The encoding half of a common row: no undecodable bytes (looked for only once the
        stream has escaped some, ``suspect``) and, in a legacy code (``check_all``), no non-ASCII
        text that is really another encoding's bytes."""
        if suspect and UNDECODABLE.search(text):
            return False
        return not check_all or text.isascii() or other_encoding(text, self.encoding) is None

    def _unusual(self, values, items, width, escapes_before):
        """Return (values or None, reject or None, restart?) for a record off the fast path."""
        line = items[0][0]
        if not values or (len(values) == 1 and not values[0].strip() and width > 1):
            self.repairs["blank lines skipped"] += 1
            return None, None, False
        if len(values) > width and not any(v.strip() for v in values[width:]):
            self.repairs["empty fields after the last column dropped"] += 1
            values = values[:width]
        if items[-1] is END_INSIDE_QUOTE:
            # the file ended inside a quoted field: only the line that opened it is lost
            reason = f"unbalanced quote: a quoted field opened on line {line} is never closed"
            return None, (line, "", reason, _raw(items[:1])), len(items) > 2
        if len(items) > 1 and len(values) == width and not self._closes_cleanly(items, width):
            # a quote swallowed the following lines and closed on a later field's quote
            reason = (
                f"unbalanced quote: a quoted field opened here runs over lines {line}-{items[-1][0]}"
                f" and does not close where a field ends; the next lines are read again"
            )
            return None, (line, "", reason, _raw(items[:1])), True
        if len(values) != width:
            if len(items) > 1:
                # An opening quote that is never closed swallows the following lines into
                # one field: reject the line that opened it and read the rest again.
                reason = (
                    f"unbalanced quote: a quoted field opened here runs over lines {line}-{items[-1][0]}"
                    f" and leaves {len(values)} fields, not {width}; the next lines are read again"
                )
                return None, (line, "", reason, _raw(items[:1])), True
            reason = f"wrong field count: expected {width}, found {len(values)}"
            return None, (line, "", reason, _raw(items)), False
        escaped = ESCAPES.value != escapes_before and any(UNDECODABLE.search(text) for _, text in items)
        if escaped or self.encoding not in UTF8_CODECS:
            other = other_encoding("".join(text for _, text in items), self.encoding)
            if other or escaped:
                bad = [self.header[i] for i, v in enumerate(values) if UNDECODABLE.search(v)]
                reason = (mixed_encodings(line, other, self.encoding) if other
                          else f"undecodable bytes: not valid {self.encoding}")
                return None, (line, bad[0] if bad else "", reason, _raw(items)), False
        return values, None, False

    def _closes_cleanly(self, items, width) -> bool:
        """A record over several lines is kept only if it is well-formed RFC 4180 CSV of the
        header's width: quotes only around whole fields (doubled inside), each closing quote
        followed by a delimiter or the end of the record. A stray quote that swallowed lines and
        closed on a later field's quote leaves a bare quote or text after a closing quote."""
        text = "".join(text for _, text in items).rstrip("\r\n")
        delimiter, fields, i, n = self.delimiter, 1, 0, len(text)
        at_field_start, quoted = True, False
        while i < n:
            char = text[i]
            if quoted:
                if char == '"':
                    if i + 1 < n and text[i + 1] == '"':
                        i += 1  # a doubled quote inside the field
                    else:
                        quoted = False
                        if i + 1 < n and text[i + 1] != delimiter:
                            return False  # text after a closing quote
            elif char == '"':
                if not at_field_start:
                    return False  # a bare quote inside an unquoted field
                quoted = True
            elif char == delimiter:
                fields += 1
                at_field_start = True
                i += 1
                continue
            elif char in "\r\n":
                return False  # a line break outside quotes: more than one record
            at_field_start = False
            i += 1
        return not quoted and fields == width

    def close(self):
        self.stream.close()


def _batched(records, chunk_size):
    """(rows, lines, rejects) per ``chunk_size`` records from a records() iterator."""
    limit = chunk_size or sys.maxsize
    rows, lines, rejects = [], [], []
    for line, values, reject in records:
        if reject is None:
            rows.append(values)
            lines.append(line)
        else:
            rejects.append((line, *reject))
        if len(rows) + len(rejects) >= limit:
            yield rows, lines, rejects
            rows, lines, rejects = [], [], []
    yield rows, lines, rejects


class _JsonLinesSource:
    def __init__(self, path, head, complete, label, repairs, *, sheet=None, kind="jsonl"):
        self.path, self.label, self.repairs = path, label, repairs
        self.encoding, self.stream, sample, self.escapes = _open_text(path, head, complete, repairs)
        self.format = "jsonl"
        self.header = None  # columns come from the records
        self.array = kind == "json" and sample.lstrip("\ufeff \t\r\n")[:1] == "["
        self.pretty = not self.array and _pretty_printed(sample)
        if self.array or self.pretty:
            self.format = "json"

    def records(self):
        if self.array:
            yield from self._array_records()
            return
        if self.pretty:
            yield from self._pretty_records()
            return
        check_all = self.encoding not in UTF8_CODECS
        for line, text in enumerate(self.stream, start=1):
            stripped = text.strip()
            if not stripped:
                self.repairs["blank lines skipped"] += 1
                continue
            escaped = UNDECODABLE.search(text)
            if escaped or (check_all and not text.isascii()):
                other = other_encoding(text, self.encoding)
                if other or escaped:
                    reason = (mixed_encodings(line, other, self.encoding) if other
                              else f"undecodable bytes: not valid {self.encoding}")
                    yield line, None, ("", reason, _raw([(line, text)]))
                    continue
            try:
                record = json.loads(stripped, parse_int=_JsonNumber, parse_float=_JsonNumber)
            except ValueError as error:
                yield line, None, ("", f"invalid JSON: {error}", _raw([(line, text)]))
                continue
            if not isinstance(record, dict):
                yield line, None, ("", f"not a JSON object: a JSON {type(_as_numbers(record)).__name__}", _raw([(line, text)]))
                continue
            if _lone_surrogate(record):
                yield line, None, ("", LONE_SURROGATE, _raw([(line, text)]))
                continue
            yield line, _flatten(record, self.repairs), None

    def batches(self, chunk_size):
        return _batched(self.records(), chunk_size)

    def keys(self) -> list[str] | None:
        """Every key of the file's JSON Lines objects in order of first appearance (a first pass
        over the file), so a key that only later records have is a column of every chunk, and
        in the same place whatever the chunk size; None for a JSON array or pretty-printed JSON."""
        if self.array or self.pretty:
            return None
        keys: dict = {}
        with open(self.path, "rb") as handle:
            stream = io.TextIOWrapper(handle, encoding=self.encoding, errors="surrogateescape", newline="")
            for text in stream:
                if "{" not in text:
                    continue
                try:
                    record = json.loads(text)
                except ValueError:
                    continue
                if isinstance(record, dict):
                    keys.update(dict.fromkeys(map(str, record)))
        return list(keys) or None

    def _array_records(self):
        text = self.stream.read()
        if UNDECODABLE.search(text):
            raise InputError(f"undecodable bytes: not valid {self.encoding}", path=self.path)
        try:
            records = json.loads(text, parse_int=_JsonNumber, parse_float=_JsonNumber)
        except ValueError as error:
            raise InputError(f"invalid JSON: {error}", path=self.path, row=getattr(error, "lineno", None))
        for number, record in enumerate(records, start=1):
            raw = json.dumps(_as_numbers(record), ensure_ascii=False)
            if not isinstance(record, dict):
                yield number, None, ("", f"not a JSON object: a JSON {type(_as_numbers(record)).__name__}", raw)
            elif _lone_surrogate(record):
                yield number, None, ("", LONE_SURROGATE, raw.encode("utf-8", "backslashreplace").decode("utf-8"))
            else:
                yield number, _flatten(record, self.repairs), None

    def _pretty_records(self):
        """Objects written one after another over several lines each (``json.dump(indent=2)``
        per record): one record per object, at the line where it starts. An object that does
        not parse is rejected up to the next line that starts with ``{`` (a printer puts every
        top-level object there), where reading goes on."""
        text = self.stream.read().lstrip("\ufeff")
        decoder = json.JSONDecoder(parse_int=_JsonNumber, parse_float=_JsonNumber)
        starts = [0] + [m.end() for m in re.finditer("\n", text)]  # offset of each line
        position, n = 0, len(text)
        while True:
            while position < n and text[position] in " \t\r\n":
                position += 1
            if position >= n:
                return
            line = bisect.bisect_right(starts, position)
            try:
                record, end = decoder.raw_decode(text, position)
                reason = None
            except ValueError as error:
                found = re.compile("^\\{", re.MULTILINE).search(text, position + 1)
                end = found.start() if found else n
                reason = f"invalid JSON: {error}"
            raw = text[position:end].strip()
            if reason is None and not isinstance(record, dict):
                reason = f"not a JSON object: a JSON {type(_as_numbers(record)).__name__}"
            if reason is None and UNDECODABLE.search(raw):
                other = other_encoding(raw, self.encoding)
                reason = (mixed_encodings(line, other, self.encoding) if other
                          else f"undecodable bytes: not valid {self.encoding}")
            if reason is None and _lone_surrogate(record):
                reason = LONE_SURROGATE
            if reason is None:
                yield line, _flatten(record, self.repairs), None
            else:
                yield line, None, ("", reason, cut(show_undecodable(raw), 2000))
            position = end

    def close(self):
        self.stream.close()


def _pretty_printed(sample: str) -> bool:
    """Whether a text file that starts with ``{`` holds objects written over several lines each
    rather than one per line: its first line is not JSON, but its first object is."""
    text = sample.lstrip("\ufeff \t\r\n")
    first = text.split("\n", 1)[0].strip()
    try:
        json.loads(first)
        return False
    except ValueError:
        pass
    try:
        _, end = json.JSONDecoder().raw_decode(text)
    except ValueError:
        return False
    return "\n" in text[:end]


# JSON can escape half of a UTF-16 pair ("\ud800"); that is no character and cannot be written as UTF-8.
LONE_SURROGATE = "invalid JSON text: a lone surrogate escape (such as \\ud800) is not a character"


def _lone_surrogate(record: dict) -> bool:
    try:
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class _JsonNumber(str):
    """A JSON number kept as the text it was written as (``1``, ``1.50``, ``1e3``)."""


def _as_numbers(value):
    """Nested JSON back to numbers, to be written as JSON text again."""
    if isinstance(value, _JsonNumber):
        return json.loads(value)
    if isinstance(value, dict):
        return {k: _as_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_numbers(v) for v in value]
    return value


def _flatten(record: dict, repairs: Counter) -> dict:
    """One record as a row of strings (None for null): every JSON column has one type for the whole
    file whatever its records mix ({"id": 1} then {"id": "A2"}), so chunks always agree. Numbers
    are parsed as their written text (json.loads(parse_int=str, parse_float=str)): ids keep it."""
    out = {}
    for key, value in record.items():
        if isinstance(value, (dict, list)):
            repairs["nested JSON values kept as JSON text"] += 1
            value = json.dumps(_as_numbers(value), ensure_ascii=False, sort_keys=True)
        elif isinstance(value, bool):
            repairs[f"column {str(key)!r}: JSON true/false read as the text 'true'/'false'"] += 1
            value = "true" if value else "false"
        elif isinstance(value, _JsonNumber):
            repairs[f"column {str(key)!r}: JSON numbers read as their written text"] += 1
            value = str(value)
        out[str(key)] = value
    return out


class _XlsxSource:
    """One worksheet, typed once for the whole sheet (a first pass over its cells), so every
    chunk has the same column types: a column of whole numbers is integers (``1``, not ``1.0``,
    empty cells missing), of numbers floats, of dates datetimes, of booleans booleans, of text
    text; a column that mixes them is text (numbers as written, dates as ISO). A formula cell
    whose workbook holds no computed value (written by a program, never opened and saved in
    Excel) rejects its row: the value is not in the file."""

    text_columns: set = frozenset()  # set by iter_table_chunks: columns always read as text

    def __init__(self, path, head, complete, label, repairs, *, sheet=None, kind="xlsx"):
        import openpyxl

        self.path, self.label, self.repairs = path, label, repairs
        self.encoding, self.format = BINARY_ENCODING, "xlsx"
        try:
            self.book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many types for a damaged zip
            raise InputError(f"cannot open as an Excel workbook: {cut(error)}", path=path) from None
        names = self.book.sheetnames
        if sheet is None:
            self.sheet = self.book.worksheets[0]
        elif str(sheet) in names:
            self.sheet = self.book[str(sheet)]
        elif str(sheet).isdigit() and 1 <= int(sheet) <= len(names):  # 1-based, as Excel counts
            self.sheet = self.book.worksheets[int(sheet) - 1]
        else:
            raise InputError(f"no sheet {sheet!r}; sheets: {', '.join(names)} "
                             f"(--sheet takes a name or a number from 1 to {len(names)})", path=path)
        self.sheet_name = self.sheet.title
        self.other_sheets = [name for name in names if name != self.sheet_name]
        self.rows = enumerate(self.sheet.iter_rows(min_row=1, values_only=True), start=1)
        self.header, self.header_line = self._read_header()
        self.column_types = self.uncached = None  # first passes, made when rows are read

    def _read_header(self):
        for number, values in self.rows:
            if not any(_present(v) for v in values):
                continue
            values = list(values)
            while values and not _present(values[-1]):
                values.pop()
            names = []
            for index, name in enumerate(values):
                name = "" if name is None else str(name)
                if not name.strip():
                    name = f"column_{index + 1}"
                    self.repairs[f"empty column name {index + 1} named {name!r}"] += 1
                names.append(name)
            return _unique_names(names, self.repairs), number
        raise InputError(f"sheet {self.sheet.title!r} is empty", path=self.path)

    def _data_rows(self, book=None):
        sheet = self.sheet if book is None else book[self.sheet_name]
        return enumerate(sheet.iter_rows(min_row=self.header_line + 1, values_only=True),
                         start=self.header_line + 1)

    def _column_types(self) -> list[str]:
        """Per column: "int", "float", "datetime", "bool", "text" or "mixed" (read as text)."""
        import datetime as dt

        width = len(self.header)
        kinds = [set() for _ in range(width)]
        for _, values in self._data_rows():
            for index, value in enumerate(values[:width]):
                if value is None or (isinstance(value, str) and not value):
                    continue
                if isinstance(value, bool):
                    kinds[index].add("bool")
                elif isinstance(value, int):
                    kinds[index].add("int")
                elif isinstance(value, float):
                    kinds[index].add("int" if value.is_integer() else "float")
                elif isinstance(value, dt.datetime):
                    kinds[index].add("datetime")
                elif isinstance(value, str):
                    kinds[index].add("text")
                else:  # times, durations, errors
                    kinds[index].add("other")
        types = []
        for name, seen in zip(self.header, kinds):
            if name in self.text_columns and seen - {"text"}:
                self.repairs[f"column {name!r} is text: its numbers, dates or booleans read as their text"] += 1
                types.append("mixed")
            elif not seen or seen == {"text"}:
                types.append("text")
            elif seen <= {"int"}:
                types.append("int")
            elif seen <= {"int", "float"}:
                types.append("float")
            elif seen in ({"datetime"}, {"bool"}):
                types.append(next(iter(seen)))
            else:
                if len(seen) > 1:
                    self.repairs[f"column {name!r} mixes numbers or dates with text: read as text"] += 1
                types.append("mixed")
        return types

    def _formulas_without_values(self) -> dict:
        """{worksheet row: (column, formula)} for formula cells that have no computed value."""
        import openpyxl

        try:
            with self.book._archive.open(self.sheet._worksheet_path) as xml:
                has_formula = any(b"<f>" in block or b"<f " in block or b":f>" in block
                                  for block in iter(lambda: xml.read(1 << 20), b""))
        except (AttributeError, KeyError):  # openpyxl internals moved: look at every cell
            has_formula = True
        if not has_formula:
            return {}
        formulas = openpyxl.load_workbook(self.path, read_only=True, data_only=False)
        try:
            width = len(self.header)
            uncached = {}
            for (number, values), (_, written) in zip(self._data_rows(), self._data_rows(formulas)):
                for index, (value, formula) in enumerate(zip(values[:width], written[:width])):
                    if value is None and formula is not None and str(formula).startswith("="):
                        uncached[number] = (self.header[index], str(formula))
                        break
            return uncached
        finally:
            formulas.close()

    def batches(self, chunk_size):
        return _batched(self.records(), chunk_size)

    def records(self):
        width = len(self.header)
        self.column_types = self._column_types()
        self.uncached = self._formulas_without_values()
        for number, values in self.rows:
            values = list(values)
            if not any(_present(v) for v in values):
                self.repairs["blank rows skipped"] += 1
                continue
            raw = None
            extra = values[width:]
            if any(_present(v) for v in extra):
                raw = "\t".join("" if v is None else str(v) for v in values)
                yield number, None, ("", f"values beyond the header: more than {width} cells", raw)
                continue
            if number in self.uncached:
                column, formula = self.uncached[number]
                raw = "\t".join("" if v is None else str(v) for v in values)
                yield number, None, (column, f"formula without a computed value: {cut(formula, 80)} "
                                     "(open and save the workbook in Excel to store its values)", raw)
                continue
            values = values[:width] + [None] * (width - len(values))
            yield number, values, None

    def frame(self, rows) -> pd.DataFrame:
        """Rows as a frame with the sheet's column types (the same for every chunk)."""
        columns = {}
        for index, (name, kind) in enumerate(zip(self.header, self.column_types)):
            values = [row[index] for row in rows]
            if kind == "int":
                columns[name] = pd.array([None if _missing(v) else int(v) for v in values], dtype="Int64")
            elif kind == "float":
                columns[name] = pd.array([None if _missing(v) else float(v) for v in values], dtype="Float64"
                                         ).astype("float64")
            elif kind == "datetime":
                columns[name] = pd.to_datetime(pd.Series(values, dtype=object))
            elif kind == "bool":
                columns[name] = pd.array([None if _missing(v) else bool(v) for v in values], dtype="boolean")
            else:
                columns[name] = pd.array([None if _missing(v) else (v if isinstance(v, str) else _cell_text(v))
                                          for v in values], dtype=object)
        return pd.DataFrame(columns, index=pd.RangeIndex(len(rows)))

    def close(self):
        self.book.close()


def _cell_text(value) -> str:
    """An XLSX cell as text: integral numbers without '.0', dates as ISO (midnight left out)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:-9] if text.endswith("T00:00:00") else text
    return str(value)


def _missing(value) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _present(value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


class _Reroute(Exception):
    """A text file turned out to be JSON: read it with the JSON source."""

    def __init__(self, fmt):
        self.fmt = fmt


def _text_source(path, head, complete, label, repairs, *, sheet=None):
    try:
        return _DelimitedSource(path, head, complete, label, repairs, kind="text")
    except _Reroute as reroute:
        return _JsonLinesSource(path, head, complete, label, repairs, kind=reroute.fmt)


class _ParquetSource:
    format = "parquet"
    encoding = BINARY_ENCODING
    text_columns: set = frozenset()  # set by iter_table_chunks: columns always read as text

    def __init__(self, path, head, complete, label, repairs, *, sheet=None):
        import pyarrow.parquet as pq

        self.path, self.label, self.repairs = path, label, repairs
        try:
            self.file = pq.ParquetFile(path)
        except Exception as error:
            raise InputError(f"cannot read as Parquet: {error}", path=path) from None
        self.header = _unique_names(list(self.file.schema_arrow.names), repairs)
        import pyarrow as pa

        binary = (pa.types.is_binary, pa.types.is_large_binary, pa.types.is_fixed_size_binary,
                  getattr(pa.types, "is_binary_view", lambda t: False))
        self.binary = [name for name, column in zip(self.header, self.file.schema_arrow)
                       if any(test(column.type) for test in binary)]

    def frames(self, chunk_size):
        """(first record number, frame, rejects) per record batch. Parquet is typed and has no
        broken rows, except bytes: a binary column is decoded as UTF-8 text, and a record whose
        bytes are not UTF-8 is rejected (never scored as the string "b'\\xe9...'")."""
        size = chunk_size or max(self.file.metadata.num_rows, 1)
        first = 1
        for batch in self.file.iter_batches(batch_size=size):
            frame, rejects = self.prepare(batch.to_pandas(), first)
            self.span = (first, first + len(frame))  # record numbers, as a CSV chunk's lines
            yield first, frame, rejects
            first += len(frame)

    def rows(self, start: int, count: int):
        """(first record number, frame, rejects) for records ``start`` to ``start + count - 1``
        (0-based), read from the row groups that hold them: what :meth:`frames` yields for them
        when its batches start there (issue 17: workers read their own row ranges)."""
        metadata = self.file.metadata
        groups, first_row, row = [], None, 0
        for index in range(metadata.num_row_groups):
            rows = metadata.row_group(index).num_rows
            if row + rows > start and row < start + count:
                groups.append(index)
                first_row = row if first_row is None else first_row
            row += rows
        table = self.file.read_row_groups(groups).slice(start - (first_row or 0), count)
        return self.prepare(table.to_pandas(), start + 1)

    def prepare(self, frame, first):
        """A batch as read: the file's unique column names, binary columns decoded, text columns
        as text; returns (frame, rejects by row position)."""
        frame.columns = self.header
        rejects = self._decode_binary(frame, first) if self.binary else {}
        for name in self.text_columns:
            if name not in self.binary and not pd.api.types.is_string_dtype(frame[name]):
                self.repairs[f"column {name!r} is text: its values read as their text"] += 1
                frame[name] = pd.array([None if _missing(v) else _cell_text(v) for v in frame[name]],
                                       dtype=object)
        return frame, rejects

    def _decode_binary(self, frame, first) -> dict:
        """Decode the binary columns of ``frame`` in place; {row position: reject} for bytes that
        are not UTF-8."""
        rejects = {}
        for name in self.binary:
            decoded = []
            for position, value in enumerate(frame[name].tolist()):
                if value is None or _missing(value):
                    decoded.append(None)
                    continue
                try:
                    decoded.append(bytes(value).decode("utf-8"))
                except UnicodeDecodeError:
                    decoded.append(None)
                    raw = show_undecodable(bytes(value).decode("utf-8", errors="surrogateescape"))
                    rejects.setdefault(position, (first + position, name,
                                                  f"undecodable bytes: binary column {name!r} is not UTF-8 text",
                                                  cut(raw)))
            self.repairs[f"binary column {name!r} decoded as UTF-8 text"] += 1
            frame[name] = pd.array(decoded, dtype=object)
        return rejects

    def close(self):
        self.file.close()


_SOURCES = {
    "csv": lambda *a, **k: _DelimitedSource(*a, **k, kind="csv"),
    "tsv": lambda *a, **k: _DelimitedSource(*a, **k, kind="tsv"),
    "text": _text_source,
    "jsonl": lambda *a, **k: _JsonLinesSource(*a, **k, kind="jsonl"),
    "json": lambda *a, **k: _JsonLinesSource(*a, **k, kind="json"),
    "xlsx": _XlsxSource,
    "parquet": _ParquetSource,
}


def _unique_names(names: list[str], repairs: Counter) -> list[str]:
    seen: Counter = Counter()
    out = []
    taken = set(names)
    for name in names:
        seen[name] += 1
        if name == LINE_COLUMN:
            new = "_line_in_file"
            repairs[f"the file's own {LINE_COLUMN!r} column renamed {new!r}"] += 1
            name = new
        elif seen[name] > 1:
            new = f"{name}.{seen[name]}"
            while new in taken:
                new += "_"
            repairs[f"repeated column name {name!r} renamed {new!r}"] += 1
            name = new
        taken.add(name)
        out.append(name)
    return out


# --------------------------------------------------------------------------- chunk building


def _empty_duplicates() -> pd.DataFrame:
    return _no_duplicates().copy()


@functools.lru_cache(maxsize=1)
def _no_duplicates() -> pd.DataFrame:
    frame = empty_rejects()
    frame["line"] = frame["line"].astype("int64")
    frame["duplicate_of"] = pd.Series([], dtype="int64")
    return frame


def _concat_or(frames, default=None):
    frames = [f for f in frames if f is not None]
    nonempty = [f for f in frames if len(f)]
    if not nonempty:
        return frames[0] if frames else (empty_rejects() if default is None else default)
    return pd.concat(nonempty, ignore_index=True)


class _ChunkBuilder:
    def __init__(self, source, *, label, required, optional, rename, dedupe, path):
        self.source, self.label, self.path = source, label, path
        self.required, self.optional, self.rename = tuple(required), tuple(optional), rename
        self.dedupe = dedupe
        self.seen = SeenRows()
        self.columns_now: list = []
        self.mapping = None
        self.all_repairs: Counter = Counter()
        self.number = 0
        self.json_keys = None
        if source.header is not None:
            self.mapping = match_columns(
                source.header, required=self.required, optional=self.optional, rename=rename, path=path
            )

    def chunks(self, chunk_size):
        try:
            if isinstance(self.source, _ParquetSource):
                for first, frame, bad in self.source.frames(chunk_size):
                    yield self._records(first, frame, bad)
                if self.number == 0:
                    self.source.span = (1, 1)
                    yield self._build(pd.DataFrame(columns=self.source.header), np.array([], "int64"), [])
                return
            if self.source.header is None and chunk_size is not None:
                self.json_keys = self.source.keys()
            batches = self.source.batches(chunk_size)
            for rows, lines, rejects in batches:
                if rows or rejects or self.number == 0:
                    yield self._from_records(rows, lines, rejects)
        finally:
            self.source.close()

    def _records(self, first, frame, bad):
        """A Parquet batch whose first record is number ``first``, its ``bad`` rows rejected."""
        lines = np.arange(first, first + len(frame), dtype="int64")
        rejects = []
        if bad:
            keep = np.ones(len(frame), dtype=bool)
            keep[list(bad)] = False
            frame, lines = frame[keep].reset_index(drop=True), lines[keep]
            rejects = [dict(zip(("line", "column", "reason", "raw"), bad[p]), file=self.label)
                       for p in sorted(bad)]
        return self._build(frame, lines, rejects)

    def _raw_row(self, values) -> str:
        """A duplicate's text as the file had it (it equals its first occurrence)."""
        if isinstance(self.source, _DelimitedSource):
            buffer = io.StringIO()
            csv.writer(buffer, delimiter=self.source.delimiter, lineterminator="").writerow(values)
            return buffer.getvalue()
        if isinstance(self.source, _JsonLinesSource):
            record = {k: v for k, v in zip(self.columns_now, values) if not _missing(v)}
            return json.dumps(record, ensure_ascii=False, default=str)
        return "\t".join("" if _missing(v) else str(v) for v in values)

    def _from_records(self, rows, lines, rejects):
        header = self.source.header
        if header is not None:
            frame = self.source.frame(rows)  # CSV/TSV: str columns; XLSX: typed once for the sheet
        else:
            keys = self.json_keys
            if keys is not None:  # the file's keys, so every chunk has the same columns in one order
                frame = pd.DataFrame.from_records(rows, columns=keys) if rows else pd.DataFrame(columns=keys)
                for name in frame.columns[frame.isna().all()]:  # a key no record of this chunk has
                    frame[name] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
            else:
                frame = pd.DataFrame.from_records(rows) if rows else pd.DataFrame()
            frame.columns = _unique_names([str(c) for c in frame.columns], self.source.repairs)
        rejects = [
            {"file": self.label, "line": line, "column": column, "reason": reason, "raw": raw}
            for line, column, reason, raw in rejects
        ]
        return self._build(frame, np.asarray(lines, dtype="int64"), rejects)

    def _build(self, frame, lines, rejects):
        if self.mapping is None and len(frame):  # JSON: columns known from the first records
            self.mapping = match_columns(
                list(frame.columns), required=self.required, optional=self.optional,
                rename=self.rename, path=self.path,
            )
        mapping = self.mapping or {}
        n_read = len(frame) + len(rejects)
        duplicates = _empty_duplicates()
        if self.dedupe and len(frame):
            self.columns_now = list(frame.columns)
            duplicate_of = self.seen.mark(frame, lines)
            keep = duplicate_of < 0
            dup_lines = lines[~keep].tolist()
            dup_of = duplicate_of[~keep].tolist()
            if dup_lines:
                raws = [self._raw_row(row) for row in frame[~keep].itertuples(index=False, name=None)]
                frame = frame[keep]
                lines = lines[keep]
                duplicates = pd.DataFrame({
                    "file": [self.label] * len(dup_lines),
                    "line": np.asarray(dup_lines, "int64"),
                    "column": [""] * len(dup_lines),
                    "reason": [f"duplicate of line {first}" for first in dup_of],
                    "raw": raws,
                    "duplicate_of": np.asarray(dup_of, "int64"),
                })
                # listed in the rejects too, so a rejects file shows every row not used
                rejects = sorted(
                    rejects + duplicates[list(REJECT_COLUMNS)].to_dict("records"), key=lambda r: r["line"]
                )
        frame = frame.rename(columns={k: v for k, v in mapping.items() if k != v})
        frame = frame.reset_index(drop=True)
        for canonical in self.required:
            if canonical not in frame.columns:  # JSON records that lack the key, or no records
                frame[canonical] = pd.Series([pd.NA] * len(frame), dtype=object)
        frame[LINE_COLUMN] = lines
        accounting = Accounting(
            read=n_read, accepted=len(frame), rejected=len(rejects) - len(duplicates),
            duplicates=len(duplicates),
        ).check()
        counts = Counter(self.source.repairs)
        chunk_counts = counts - self.all_repairs  # repairs first seen in this chunk
        self.all_repairs = counts
        renamed = [f"column {k!r} read as {v!r}" for k, v in mapping.items() if k != v]
        repairs = (renamed if self.number == 0 else []) + _describe_repairs(chunk_counts)
        result = ReadResult(
            frame=frame,
            rejects=rejects_frame(rejects),
            accounting=accounting,
            encoding=self.source.encoding,
            format=self.source.format,
            repairs=repairs,
            duplicates=duplicates,
            columns=dict(mapping),
            path=self.path,
            chunk=self.number,
            repair_counts=chunk_counts + Counter({r: 1 for r in (renamed if self.number == 0 else [])}),
            start_line=getattr(self.source, "span", (None, None))[0],
            next_line=getattr(self.source, "span", (None, None))[1],
        )
        self.number += 1
        return result


def _describe_repairs(counts: Counter) -> list[str]:
    return [f"{what} ({n}x)" if n > 1 else what for what, n in counts.items()]


# --------------------------------------------------------------------------- byte ranges
#
# Issue 17: worker processes read their own parts of a CSV/TSV, so reading scales with them.
# A chunk is still "the next chunk_size records from where the previous chunk stopped", exactly
# as iter_table_chunks reads it; what changes is who reads it. The parent guesses where each
# chunk starts (textscan.record_starts, over the file's bytes), a worker reads from its guess
# with a fresh reader, and the parent accepts the chunk only when it started on the line its
# predecessor stopped at (ReadResult.start_line == previous next_line). Between records the
# reader's only state is that line (lines a bad record swallowed are read again from it), so an
# accepted chunk is the chunk iter_table_chunks would have read; a wrong guess is read again.

# Codes in which the bytes LF and CR are only ever line ends and a line start resets the
# decoder, so a chunk decoded from its first byte reads as it would in the whole file.
RANGE_CODECS = frozenset({"utf-8", "utf-8-sig", "gb18030", "gbk", "gb2312", "cp936", "big5", "cp950",
                          "big5hkscs", "ascii", "latin-1", "iso-8859-1", "cp1252"})


@dataclass(frozen=True)
class ByteRanges:
    """What a worker needs to read any chunk of one delimited text file on its own (picklable)."""

    path: Path
    label: str
    encoding: str
    format: str
    delimiter: str
    header: tuple
    header_line: int
    required: tuple
    optional: tuple
    rename: dict | None
    first_line: int  # the line the first chunk starts on, and its byte offset
    first_offset: int
    size: int  # bytes in the file when it was planned

    def guesses(self, line: int, offset: int, chunk_size: int, limit: int) -> list[tuple[int, int]]:
        """(line, byte offset) where the next ``limit`` chunks after one starting at ``line``
        probably start (see :func:`brandrep.io.textscan.record_starts`)."""
        from brandrep.io.textscan import record_starts

        lines, offsets = record_starts(self._bytes(), offset, line, chunk_size, len(self.header),
                                       ord(self.delimiter), limit)
        return list(zip(lines.tolist(), offsets.tolist()))

    def offset_of(self, line: int, known_line: int, known_offset: int) -> int:
        """Byte offset of ``line``, counted on from a line whose offset is known."""
        from brandrep.io.textscan import line_offset

        return int(line_offset(self._bytes(), known_offset, known_line, line))

    def read(self, chunk: int, line: int, offset: int, chunk_size: int) -> ReadResult | None:
        return read_byte_range(self, chunk, line, offset, chunk_size)

    def _bytes(self) -> np.ndarray:
        return _file_bytes(self.path, self.size)


def _file_bytes(path: Path, size: int) -> np.ndarray:
    """The file's first ``size`` bytes, mapped (read only as the scanners reach them)."""
    if size == 0:
        return np.zeros(0, dtype=np.uint8)
    return np.memmap(path, dtype=np.uint8, mode="r", shape=(size,))


@dataclass(frozen=True)
class RowRanges:
    """The same for a Parquet file, by record numbers: its chunks start every ``chunk_size``
    records, so every guess is right and the "offset" is the 0-based record index."""

    path: Path
    label: str
    required: tuple
    optional: tuple
    rename: dict | None
    text: tuple
    size: int  # records in the file
    first_line: int = 1
    first_offset: int = 0

    def guesses(self, line: int, offset: int, chunk_size: int, limit: int) -> list[tuple[int, int]]:
        return [(line + k * chunk_size, offset + k * chunk_size) for k in range(1, limit + 1)
                if offset + k * chunk_size < self.size]

    def offset_of(self, line: int, known_line: int, known_offset: int) -> int:
        return known_offset + line - known_line

    def read(self, chunk: int, line: int, offset: int, chunk_size: int) -> ReadResult | None:
        source, _ = _open_source(self.path, self.label, None)
        builder = _ChunkBuilder(source, label=self.label, required=self.required, optional=self.optional,
                                rename=self.rename, dedupe=False, path=self.path)
        source.text_columns = {column for column, name in builder.mapping.items() if name in self.text}
        builder.number = chunk
        try:
            with _reader_errors(self.path, "parquet"):
                count = max(0, min(chunk_size, self.size - offset))
                source.span = (line, line + count)
                if count == 0:
                    if chunk > 0:
                        return None
                    return builder._build(pd.DataFrame(columns=source.header), np.array([], "int64"), [])
                frame, bad = source.rows(offset, count)
                return builder._records(line, frame, bad)
        finally:
            source.close()


def chunk_ranges(path, *, required=(), optional=(), rename: dict | None = None, label: str | None = None,
                 dedupe: bool = False, text: tuple = ()) -> ByteRanges | RowRanges | None:
    """A plan for workers to read ``path`` chunk by chunk on their own, or None when it must be
    read from the start: not a CSV/TSV or Parquet file, an encoding not in :data:`RANGE_CODECS`, or
    ``dedupe`` (duplicates are found across chunks). Opens the file as :func:`iter_table_chunks`
    does, so a missing file or column is refused here, before any row is read."""
    from brandrep.io.textscan import line_offset

    path = Path(path)
    label = label or path.name
    source, fmt = _open_source(path, label, None)
    try:
        _ChunkBuilder(source, label=label, required=required, optional=optional, rename=rename,
                      dedupe=dedupe, path=path)  # the columns are checked here
        if dedupe:
            return None
        if isinstance(source, _ParquetSource):
            return RowRanges(path=path, label=label, required=tuple(required), optional=tuple(optional),
                             rename=rename, text=tuple(text), size=source.file.metadata.num_rows)
        if not isinstance(source, _DelimitedSource) or source.encoding not in RANGE_CODECS:
            return None
        first_line = source.feed.next_line()
        size = path.stat().st_size
        first_offset = int(line_offset(_file_bytes(path, size), 0, 1, first_line))
        return ByteRanges(path=path, label=label, encoding=source.encoding, format=source.format,
                          delimiter=source.delimiter, header=tuple(source.header),
                          header_line=source.header_line, required=tuple(required), optional=tuple(optional),
                          rename=rename, first_line=first_line, first_offset=first_offset, size=size)
    finally:
        source.close()


def read_byte_range(ranges: ByteRanges, chunk: int, line: int, offset: int, chunk_size: int) -> ReadResult | None:
    """Chunk number ``chunk``: the ``chunk_size`` records read from line ``line`` (at byte
    ``offset``), as :func:`iter_table_chunks` would yield them had its chunk started there; None
    when no record is left (the end of the file, or blank lines only)."""
    source = _DelimitedSource.__new__(_DelimitedSource)
    source.path, source.label, source.repairs = ranges.path, ranges.label, Counter()
    source.encoding, source.format, source.delimiter = ranges.encoding, ranges.format, ranges.delimiter
    source.header, source.header_line, source.sep_line = list(ranges.header), ranges.header_line, None
    handle = open(ranges.path, "rb")
    handle.seek(offset)
    # a byte-order mark belongs to the file's start; past it, U+FEFF is a character like any other
    codec = "utf-8" if ranges.encoding == "utf-8-sig" else ranges.encoding
    source.stream = io.TextIOWrapper(handle, encoding=codec, errors=ESCAPE_HANDLER, newline="")
    source.escapes = ESCAPES.value
    source.feed = _LineFeed(source.stream, first_line=line)
    source.reader = csv.reader(source.feed.lines, delimiter=source.delimiter)
    builder = _ChunkBuilder(source, label=ranges.label, required=ranges.required, optional=ranges.optional,
                            rename=ranges.rename, dedupe=False, path=ranges.path)
    builder.number = chunk
    try:
        rows, lines, rejects = next(source.batches(chunk_size))
        if not rows and not rejects and chunk > 0:
            return None
        return builder._from_records(rows, lines, rejects)
    finally:
        source.close()
